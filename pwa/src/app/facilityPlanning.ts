// The property office's planning lists, kept on the device for offline use: technicians, teams, the teams I
// am on, and the municipality's categories (their names, retired ones included, name old reports too).
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { lang } from "../i18n";
import { cachedMe } from "./session";

export interface Person {
  id: number;
  name: string;
}
export interface Team {
  id: number;
  name: string;
  active: boolean;
  members: number[];
}
export interface CategoryRow {
  key: string;
  da: string;
  en: string;
  retired: boolean;
}

export const CATEGORIES_KEY = "felt.facility.categories";

/** `key` for the signed-in person: on a shared phone or tablet the next person never sees the last one's teams. */
const mine = (key: string) => `${key}:${cachedMe()?.id ?? ""}`;

/** A list fetched from `url` and kept in localStorage under `key` (per person): the kept copy at once and offline. */
export function useKept<T>(name: string, url: string, deps: unknown[] = []): [T[], (v: T[]) => void] {
  const key = mine(name);
  const [value, setValue] = useState<T[]>(() => JSON.parse(localStorage.getItem(key) ?? "[]") as T[]);
  const keep = (v: T[]) => (setValue(v), localStorage.setItem(key, JSON.stringify(v)));
  useEffect(() => {
    api.get<T[]>(url).then(keep, () => undefined); // offline or not allowed: the kept copy
  }, deps);
  return [value, keep];
}

export const useTechnicians = () => useKept<Person>("felt.facility.technicians", "/api/facility/technicians")[0];
export const useTeams = () => useKept<Team>("felt.facility.teams", "/api/facility/teams");
export const useMyTeams = () => useKept<Team>("felt.facility.myTeams", "/api/facility/teams/mine")[0];
export const useCategories = () => useKept<CategoryRow>(CATEGORIES_KEY, "/api/facility/categories");

/** A category's name from the municipality's kept list, or undefined when it is not there. */
export function keptCategoryName(key: string): string | undefined {
  const list = JSON.parse(localStorage.getItem(mine(CATEGORIES_KEY)) ?? "[]") as CategoryRow[];
  const c = list.find((x) => x.key === key);
  return c ? (lang === "en" ? c.en : c.da) : undefined;
}
