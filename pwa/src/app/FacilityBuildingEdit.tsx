// Editing a building after the CSV import (the property office and admins): its name and address, a room's
// name (its code and printed label stay), and a new room (it gets its own code).
import { useState } from "preact/hooks";
import { api } from "../api";
import { t } from "../i18n";
import { errorText } from "./hooks";

interface Editable {
  id: number;
  name: string;
  address: string;
  rooms: { id: number; name: string }[];
}

export function FacilityBuildingEdit({ b, onSaved }: { b: Editable; onSaved: (message: string) => void }) {
  const [name, setName] = useState(b.name);
  const [address, setAddress] = useState(b.address);
  const [room, setRoom] = useState("");
  const [roomName, setRoomName] = useState("");
  const [error, setError] = useState("");
  const id = `fa-edit-${b.id}`;

  async function run(call: () => Promise<unknown>, message: string) {
    try {
      await call();
      setError("");
      onSaved(message);
    } catch (e) {
      setError(errorText(e));
    }
  }

  function saveBuilding(e: Event) {
    e.preventDefault();
    if (!name.trim()) return setError(t("fa_nameNeeded"));
    void run(() => api.put("/api/facility/buildings/details", { id: b.id, name: name.trim(), address: address.trim() }), t("fa_buildingSaved", { name: name.trim() }));
  }

  function saveRoom(e: Event) {
    e.preventDefault();
    if (!roomName.trim()) return setError(t("fa_nameNeeded"));
    const body = { building_id: b.id, name: roomName.trim(), id: room ? Number(room) : null };
    void run(() => api.put("/api/facility/rooms", body), t("fa_roomSaved", { name: roomName.trim() })).then(() => setRoomName(""));
  }

  return (
    <details>
      <summary>{t("fa_editBuilding")}</summary>
      <form onSubmit={saveBuilding} noValidate>
        <div class="field">
          <label for={`${id}-name`}>{t("fa_buildingName")}</label>
          <input id={`${id}-name`} value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for={`${id}-address`}>{t("fa_address")}</label>
          <input id={`${id}-address`} value={address} maxLength={300} onInput={(e) => setAddress(e.currentTarget.value)} />
        </div>
        <button type="submit" class="btn">
          {t("fa_saveBuilding")}
        </button>
      </form>
      <form onSubmit={saveRoom} noValidate>
        <div class="field">
          <label for={`${id}-room`}>{t("fa_roomToEdit")}</label>
          <select id={`${id}-room`} value={room} onChange={(e) => setRoom(e.currentTarget.value)}>
            <option value="">{t("fa_newRoom")}</option>
            {b.rooms.map((r) => (
              <option key={r.id} value={String(r.id)}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-room-name`}>{t("fa_roomName")}</label>
          <input id={`${id}-room-name`} value={roomName} maxLength={200} onInput={(e) => setRoomName(e.currentTarget.value)} />
        </div>
        <button type="submit" class="btn">
          {t("fa_saveRoom")}
        </button>
      </form>
      <div role="alert">{error && <p class="error">{error}</p>}</div>
    </details>
  );
}
