import { api, type Me } from "../api";
import { t } from "../i18n";
import { useLoad } from "./hooks";
import { showDate } from "./records";
import { InstallHint } from "./install";
import { Page } from "./Layout";
import { tilesFor } from "./workflows";

/** The areas this shell knows; the server decides which of them a user gets (me.areas). */
export const AREAS = ["inbox", "profile", "staff", "admin", "payroll", "bookings"] as const;
export type Area = (typeof AREAS)[number];

export function knownAreas(me: Me): Area[] {
  return me.areas.filter((a): a is Area => (AREAS as readonly string[]).includes(a));
}

export function Home({ me }: { me: Me }) {
  // The leader's inbox comes first: what waits for them is their home entry. Then the workflows' tiles.
  const mine = knownAreas(me).map((a) => ({ route: a, label: `area_${a}`, hint: `area_${a}_hint` }) as const);
  const areas = [...mine.filter((a) => a.route === "inbox"), ...tilesFor(me), ...mine.filter((a) => a.route !== "inbox")];
  const where = [me.unit?.name, me.municipality.name].filter(Boolean).join(", ");
  // The inbox tile counts what waits (issue 16); offline it keeps its plain hint.
  const hasInbox = me.areas.includes("inbox");
  const count = useLoad(
    () => (hasInbox ? api.get<{ waiting: number; deadline: string | null }>("/api/inbox/count") : Promise.resolve(null)),
    [hasInbox],
  );
  const hint = (route: string, fallback: string): string => {
    const c = route === "inbox" ? count.data : null;
    if (!c?.waiting) return fallback;
    return c.deadline ? t("ib_tileCount", { n: c.waiting, date: showDate(c.deadline) }) : t("ib_tileCountNoDate", { n: c.waiting });
  };
  return (
    <Page title={t("greeting", { name: me.name })}>
      <p class="lead">{where}</p>
      <InstallHint />
      {areas.length ? (
        <>
          <h2>{t("chooseArea")}</h2>
          <ul class="tiles">
            {areas.map((a) => (
              <li key={a.route}>
                <a class="tile" href={`#/${a.route}`}>
                  <span class="tile-title">{t(a.label)}</span>
                  <span class="tile-hint">{hint(a.route, t(a.hint))}</span>
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
