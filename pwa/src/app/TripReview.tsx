// A trip waiting for the leader, as the inbox shows it: date and purpose, the route, km and what it pays.
import type { Fields } from "../data";
import { calcOf, fmtKm } from "./mileageText";
import { fmtKr, showDate, str } from "./records";
import { route } from "./Trips";

export function TripReview({ fields }: { fields: Fields }) {
  const calc = calcOf(fields);
  return (
    <>
      <p>
        <strong>{showDate(fields.date)}</strong> · {str(fields.purpose)}
      </p>
      <p>
        {route(fields)} · {fmtKm(fields.km)} · {calc.amount ? fmtKr(calc.amount) : "–"}
      </p>
    </>
  );
}
