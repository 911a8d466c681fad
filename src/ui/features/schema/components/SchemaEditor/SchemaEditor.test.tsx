// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type SchemaDraft, SchemaEditor } from "./SchemaEditor";

afterEach(cleanup);

function setup(initial: unknown) {
  const onChange = vi.fn<(d: SchemaDraft) => void>();
  render(<SchemaEditor initial={initial} onChange={onChange} />);
  const json = screen.getByRole("textbox", { name: "Schema as JSON" }) as HTMLTextAreaElement;
  const last = () => onChange.mock.calls.at(-1)?.[0];
  return { onChange, json, last };
}

describe("SchemaEditor visual ↔ JSON", () => {
  it("shows the initial schema in both views", () => {
    const { json } = setup({ type: "integer", minimum: 1 });
    expect(JSON.parse(json.value)).toEqual({ type: "integer", minimum: 1 });
    expect((screen.getByLabelText("Data type") as HTMLSelectElement).value).toBe("integer");
    expect((screen.getByLabelText("Minimum") as HTMLInputElement).value).toBe("1");
  });

  it("building an object visually writes the JSON", async () => {
    const { json, last } = setup({});
    fireEvent.change(screen.getByLabelText("Data type"), { target: { value: "object" } });
    fireEvent.click(screen.getByRole("button", { name: "Add property" }));
    const property = screen.getByRole("group", { name: "Property 1" });
    fireEvent.change(within(property).getByLabelText("Name"), { target: { value: "temperature" } });
    const named = screen.getByRole("group", { name: "Property temperature" });
    fireEvent.click(within(named).getByLabelText("Required"));
    fireEvent.change(within(named).getByLabelText("Maximum"), { target: { value: "60" } });
    const expected = {
      type: "object",
      properties: { temperature: { type: "number", maximum: 60 } },
      required: ["temperature"],
    };
    expect(JSON.parse(json.value)).toEqual(expected);
    // The meta-schema check answers shortly after the edit (in the schema worker in browsers).
    expect(last()).toMatchObject({ ok: false, checking: true });
    await waitFor(() => expect(last()).toEqual({ ok: true, schema: expected }));
  });

  it("typing JSON updates the visual view", async () => {
    const { json, last } = setup({ type: "number" });
    const schema = { type: "object", properties: { level: { enum: ["low", "high"] } }, required: ["level"] };
    fireEvent.change(json, { target: { value: JSON.stringify(schema, null, 2) } });
    const property = screen.getByRole("group", { name: "Property level" });
    expect((within(property).getByLabelText("Type") as HTMLSelectElement).value).toBe("enum");
    expect((within(property).getByLabelText("Allowed values") as HTMLInputElement).value).toBe("low, high");
    expect((within(property).getByLabelText("Required") as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect(last()).toEqual({ ok: true, schema }));
    expect(screen.getByText("Valid JSON Schema.")).toBeTruthy();
  });

  it("round trip: JSON → visual edit → JSON keeps what the visual view does not show", () => {
    const { json } = setup({ type: "string", pattern: "^[a-z]+$", minLength: 2 });
    fireEvent.change(screen.getByLabelText("Format"), { target: { value: "email" } });
    expect(JSON.parse(json.value)).toEqual({
      type: "string",
      format: "email",
      pattern: "^[a-z]+$",
      minLength: 2,
    });
    expect(screen.getByText(/Also has pattern, minLength/)).toBeTruthy();
  });

  it("shows a syntax error at its line and keeps the visual view read-only", () => {
    const { json, last } = setup({ type: "number" });
    fireEvent.change(json, { target: { value: '{\n  "type": "number",\n}' } });
    expect(screen.getByRole("alert").textContent).toMatch(/^Line 3, column 1:/);
    expect(json.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByLabelText("Data type").matches(":disabled")).toBe(true);
    expect(last()?.ok).toBe(false);
  });

  it("checks the meta-schema as you type and points at the offending line", async () => {
    const { json, last } = setup({});
    fireEvent.change(json, {
      target: { value: '{\n  "type": "object",\n  "properties": {\n    "x": { "type": "nubmer" }\n  }\n}' },
    });
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toMatch(/^Line 4, column \d+: \/properties\/x\/type/);
    expect(json.getAttribute("aria-invalid")).toBe("true");
    await waitFor(() =>
      expect(last()).toMatchObject({ ok: false, message: expect.stringMatching(/^Line 4:/) }),
    );
    fireEvent.change(json, { target: { value: "true" } });
    expect(screen.getByRole("alert").textContent).toMatch(/must be a JSON object/);
  });
});
