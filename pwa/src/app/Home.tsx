import type { Me } from "../api";
import { t } from "../i18n";
import { InstallHint } from "./install";
import { Page } from "./Layout";

/** The areas this shell knows; the server decides which of them a user gets (me.areas). */
export const AREAS = ["inbox", "profile", "staff", "admin", "payroll", "bookings"] as const;
export type Area = (typeof AREAS)[number];

export function knownAreas(me: Me): Area[] {
  return me.areas.filter((a): a is Area => (AREAS as readonly string[]).includes(a));
}

/** Tiles every signed-in person gets, whatever me.areas says (every employee may have receipts). */
const EVERYONE = [
  { key: "receipts", route: "udlaeg" },
  { key: "mileage", route: "koersel" },
] as const;

export function Home({ me }: { me: Me }) {
  // The leader's inbox comes first: what waits for them is their home entry.
  const mine = knownAreas(me).map((a) => ({ key: a, route: a }));
  const areas = [...mine.filter((a) => a.key === "inbox"), ...EVERYONE, ...mine.filter((a) => a.key !== "inbox")];
  const where = [me.unit?.name, me.municipality.name].filter(Boolean).join(", ");
  return (
    <Page title={t("greeting", { name: me.name })}>
      <p class="lead">{where}</p>
      <InstallHint />
      {areas.length ? (
        <>
          <h2>{t("chooseArea")}</h2>
          <ul class="tiles">
            {areas.map((a) => (
              <li key={a.key}>
                <a class="tile" href={`#/${a.route}`}>
                  <span class="tile-title">{t(`area_${a.key}`)}</span>
                  <span class="tile-hint">{t(`area_${a.key}_hint`)}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t("noAreas")}</p>
      )}
    </Page>
  );
}
