// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { App, HeedyObject } from "../../../../client/index";
import { useSession } from "../../../shared/session/session-store";
import { AppendForm } from "./AppendForm";

afterEach(cleanup);

const schema = {
  type: "object",
  properties: { celsius: { type: "number", maximum: 60 }, room: { enum: ["kitchen", "hall"] } },
  required: ["celsius"],
};
const object = {
  id: "o1",
  name: "Kitchen",
  type: "timeseries",
  access: "*",
  meta: { schema },
} as unknown as HeedyObject;

function setup(edit?: { t: number; dt?: number; d: unknown }, target: HeedyObject = object) {
  const post = vi.fn(async () => ({ result: "ok", removed: 1, written: 1 }));
  const del = vi.fn(async () => ({ result: "ok" }));
  const session = { post, delete: del, get: vi.fn(async () => 0) };
  const capabilities = { server: "heedy-explorer", version: "t", extensions: ["timeseries.replace"] };
  const server = { hasExtension: async (name: string) => capabilities.extensions.includes(name) };
  useSession.setState({
    client: { session, server, capabilities: async () => capabilities } as unknown as App,
  });
  const onDone = vi.fn();
  render(
    <QueryClientProvider client={new QueryClient()}>
      <AppendForm object={target} canWrite edit={edit} zone="UTC" onDone={onDone} onCancel={() => {}} />
    </QueryClientProvider>,
  );
  return { post, del, onDone };
}

describe("the datapoint form", () => {
  it("sends nothing while the schema refuses the value, then appends", async () => {
    const { post } = setup();
    const celsius = screen.getByLabelText("celsius");
    fireEvent.change(celsius, { target: { value: "75" } });
    fireEvent.click(screen.getByRole("button", { name: "Append" }));
    expect(await screen.findByText("Must be <= 60")).toBeTruthy();
    expect(celsius.getAttribute("aria-invalid")).toBe("true");
    expect(post).not.toHaveBeenCalled();
    fireEvent.change(celsius, { target: { value: "21.5" } });
    fireEvent.click(screen.getByRole("button", { name: "Append" }));
    await waitFor(() => expect(post).toHaveBeenCalledTimes(1));
    expect((post.mock.calls[0] as unknown[]).slice(0, 2)).toMatchObject([
      "api/objects/o1/timeseries",
      [{ d: { celsius: 21.5 } }],
    ]);
  });

  it("edits a point in the same widgets and keeps its exact time and duration", async () => {
    const { post, onDone } = setup({ t: 1_700_000_000.123456, dt: 2.5, d: { celsius: 19, room: "hall" } });
    const celsius = screen.getByLabelText("celsius") as HTMLInputElement;
    expect(celsius.value).toBe("19");
    expect((screen.getByLabelText("room (optional)") as HTMLSelectElement).value).toBe("1");
    // The time and duration are fields too, starting from the stored ones (UTC here).
    expect((screen.getByLabelText("Time (UTC)") as HTMLInputElement).value).toBe("2023-11-14T22:13:20.123");
    expect((screen.getByLabelText("Duration in seconds") as HTMLInputElement).value).toBe("2.5");
    fireEvent.change(celsius, { target: { value: "99" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Must be <= 60")).toBeTruthy();
    expect(post).not.toHaveBeenCalled();
    fireEvent.change(celsius, { target: { value: "18" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    // One replace request: remove the point at its exact stored time, write the new one.
    expect((post.mock.calls[0] as unknown[]).slice(0, 3)).toMatchObject([
      "api/objects/o1/timeseries/replace",
      [{ t: 1_700_000_000.123456, dt: 2.5, d: { celsius: 18, room: "hall" } }],
      { t: 1_700_000_000.123456, method: "insert" },
    ]);
  });

  it("moves a point to a new time and duration in the same save", async () => {
    const { post, onDone } = setup({ t: 1_700_000_000, d: { celsius: 19 } });
    fireEvent.change(screen.getByLabelText("Time (UTC)"), { target: { value: "2023-11-14T23:00:05.250" } });
    fireEvent.change(screen.getByLabelText("Duration in seconds"), { target: { value: "60" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect((post.mock.calls[0] as unknown[]).slice(0, 3)).toMatchObject([
      "api/objects/o1/timeseries/replace",
      [{ t: Date.UTC(2023, 10, 14, 23, 0, 5, 250) / 1000, dt: 60, d: { celsius: 19 } }],
      { t: 1_700_000_000 },
    ]);
  });

  it("reports every problem at once: two missing fields, a bad time and a bad duration", async () => {
    const two = {
      ...object,
      meta: {
        schema: {
          type: "object",
          properties: { a: { type: "number" }, b: { type: "string" } },
          required: ["a", "b"],
        },
      },
    } as unknown as HeedyObject;
    const { post } = setup({ t: 1, d: { a: 1, b: "x" } }, two);
    fireEvent.change(screen.getByLabelText("a"), { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("b"), { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("Duration in seconds"), { target: { value: "-3" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Not sent: fix 3 fields marked here.")).toBeTruthy();
    expect(screen.getAllByText("Required")).toHaveLength(2);
    expect(screen.getByText("Enter a duration of 0 seconds or more")).toBeTruthy();
    expect(post).not.toHaveBeenCalled();
  });

  it("deletes the point from the same dialog after asking", async () => {
    const { del, onDone } = setup({ t: 42.5, d: { celsius: 19 } });
    fireEvent.click(screen.getByRole("button", { name: "Delete…" }));
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Keep it" }));
    fireEvent.click(screen.getByRole("button", { name: "Delete point" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect((del.mock.calls[0] as unknown[]).slice(0, 2)).toMatchObject([
      "api/objects/o1/timeseries",
      { t: 42.5 },
    ]);
  });

  it("edits a value the fields cannot show exactly as JSON", () => {
    setup({ t: 1, d: { celsius: 19, note: "extra" } });
    const box = screen.getByLabelText("Value (JSON)") as HTMLTextAreaElement;
    expect(JSON.parse(box.value)).toEqual({ celsius: 19, note: "extra" });
    expect(screen.getByText(/edited as JSON/)).toBeTruthy();
  });
});
