// The unit a planning screen shows (vagtplan, 12 uger, grundplan, personer og fravær): one picker with the
// same label and look on every shift screen. A person who plans one unit sees its name instead of a
// one-choice list, so the screen still says which unit it is about.
import { t } from "../i18n";

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
