// "Mine vagter": my absences (ferie, sygdom, omsorgsdag, kursus), fetched when online and kept on the
// phone for offline reading, as the norm balance is.
import { useEffect, useState } from "preact/hooks";
import { api, type Me } from "../api";
import { t } from "../i18n";
import { useOnline } from "./hooks";
import { absenceSpan, kindName, type Absence } from "./planText";

export function MyAbsences({ me, today }: { me: Me; today: string }) {
  const key = `felt.shifts.absences.${me.id}`;
  const [rows, setRows] = useState<Absence[]>(() => {
    try {
      return JSON.parse(localStorage.getItem(key) ?? "[]") as Absence[];
    } catch {
      return [];
    }
  });
  const online = useOnline();
  useEffect(() => {
    if (!online) return;
    api.get<Absence[]>("/api/shifts/absences/mine").then(
      (found) => {
        setRows(found);
        localStorage.setItem(key, JSON.stringify(found));
      },
      () => undefined, // offline or refused: the kept list stands
    );
  }, [online, key]);
  const ahead = rows.filter((a) => a.last >= today);
  if (!ahead.length) return null;
  return (
    <section aria-labelledby="sh-absences-title">
      <h2 id="sh-absences-title">{t("sp_myAbsences")}</h2>
      <ul class="cards" data-testid="my-absences">
        {ahead.map((a) => (
          <li key={a.id} class="card">
            <p class="person-name">{kindName(a)}</p>
            <p>{absenceSpan(a)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
