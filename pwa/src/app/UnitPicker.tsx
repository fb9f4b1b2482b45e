// The unit a planning screen shows (vagtplan, 12 uger, grundplan, personer og fravær): one picker with the
// same label and look on every shift screen. A person who plans one unit sees its name instead of a
// one-choice list, so the screen still says which unit it is about. The units are those the person may
// plan (a leader of an area gets the units under it); the choice is kept while the app is open, so the
// four screens follow it.
import { useEffect, useState } from "preact/hooks";
import { api, type Me } from "../api";
import { t } from "../i18n";
import { plannableUnits } from "./planText";

export interface PickableUnit {
  id: number;
  name: string;
}

/** "Enhed" with a list of `units` (value: a unit id), or the single unit's name as plain text; nothing
 * when `units` is empty (the screen says there is nothing to plan). */
export function UnitPicker({ units, value, onChange }: { units: PickableUnit[]; value: number; onChange: (unit: number) => void }) {
  if (!units.length) return null;
  if (units.length === 1)
    return (
      <p class="unit-picked" data-testid="unit-picker">
        {t("sh_unit")}: <strong>{units[0].name}</strong>
      </p>
    );
  return (
    <label class="field unit-picker">
      {t("sh_unit")}
      <select data-testid="unit-picker" value={value} onChange={(e) => onChange(Number((e.target as HTMLSelectElement).value))}>
        {units.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A unit as GET /api/shifts/units gives it: `types` is its number of shift types (0: no rota there). */
interface PlanUnit extends PickableUnit {
  types: number;
}

/** The units `me` may plan and the one shown: the last picked in this tab, else the first unit with shift
 * types (a leader of "Omsorg og Sundhed" lands on the care home under it, not on the empty area). Until
 * the list arrives (or offline) the units of `me`'s own roles stand. */
export function usePlanUnit(me: Me): { units: PickableUnit[]; unit: number; setUnit: (unit: number) => void } {
  const key = `felt.shifts.unit.${me.id}`;
  const [units, setUnits] = useState<PickableUnit[]>(() => plannableUnits(me));
  const [unit, setShown] = useState<number>(() => Number(sessionStorage.getItem(key)) || units[0]?.id || 0);
  useEffect(() => {
    let current = true;
    api.get<PlanUnit[]>("/api/shifts/units").then(
      (found) => {
        if (!current || !found.length) return;
        setUnits(found.map(({ id, name }) => ({ id, name })));
        const picked = Number(sessionStorage.getItem(key));
        setShown(found.some((u) => u.id === picked) ? picked : (found.find((u) => u.types > 0) ?? found[0]).id);
      },
      () => undefined, // offline or refused: the units of the roles stand
    );
    return () => {
      current = false;
    };
  }, [key]);
  function setUnit(next: number) {
    sessionStorage.setItem(key, String(next));
    setShown(next);
  }
  return { units, unit, setUnit };
}
