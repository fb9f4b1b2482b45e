import { paragraphs, t } from "../i18n";
import { Page } from "./Layout";

export function Statement() {
  return (
    <Page title={t("statementTitle")} back>
      {paragraphs("statementBody").map((p) => (
        <p key={p}>{p}</p>
      ))}
    </Page>
  );
}
