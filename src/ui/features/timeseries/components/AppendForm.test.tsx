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

function setup(edit?: { t: number; dt?: number; d: unknown }) {
  const post = vi.fn(async () => ({ result: "ok" }));
  const session = { post, get: vi.fn(async () => 0) };
  useSession.setState({ client: { session, server: {} } as unknown as App });
  const onDone = vi.fn();
  render(
    <QueryClientProvider client={new QueryClient()}>
      <AppendForm object={object} canWrite edit={edit} onDone={onDone} onCancel={() => {}} />
    </QueryClientProvider>,
  );
  return { post, onDone };
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
    expect(screen.queryByLabelText(/Timestamp/)).toBeNull();
    fireEvent.change(celsius, { target: { value: "99" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Must be <= 60")).toBeTruthy();
    expect(post).not.toHaveBeenCalled();
    fireEvent.change(celsius, { target: { value: "18" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect((post.mock.calls[0] as unknown[]).slice(0, 2)).toMatchObject([
      "api/objects/o1/timeseries",
      [{ t: 1_700_000_000.123456, dt: 2.5, d: { celsius: 18, room: "hall" } }],
    ]);
  });

  it("edits a value the fields cannot show exactly as JSON", () => {
    setup({ t: 1, d: { celsius: 19, note: "extra" } });
    const box = screen.getByLabelText("Value (JSON)") as HTMLTextAreaElement;
    expect(JSON.parse(box.value)).toEqual({ celsius: 19, note: "extra" });
    expect(screen.getByText(/edited as JSON/)).toBeTruthy();
  });
});
