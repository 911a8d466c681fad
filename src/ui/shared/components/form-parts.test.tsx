// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HeedyError } from "../../../client/index";
import { ConfirmDialog } from "./ConfirmDialog";
import { FormError } from "./FormError";
import { TextField } from "./TextField";

afterEach(cleanup);

describe("TextField", () => {
  it("labels its input and ties an error to it", () => {
    const onChange = vi.fn();
    render(<TextField label="Repeat" value="a" onChange={onChange} error="The two differ." />);
    const input = screen.getByLabelText("Repeat");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const described = input.getAttribute("aria-describedby");
    expect(described && document.getElementById(described)?.textContent).toBe("The two differ.");
    fireEvent.change(input, { target: { value: "ab" } });
    expect(onChange).toHaveBeenCalledWith("ab");
  });

  it("is a textarea with rows, and valid without an error", () => {
    render(<TextField label="Description" value="" onChange={() => {}} rows={3} />);
    const area = screen.getByLabelText("Description");
    expect(area.tagName).toBe("TEXTAREA");
    expect(area.hasAttribute("aria-invalid")).toBe(false);
  });
});

describe("FormError", () => {
  it("renders nothing without an error", () => {
    const { container } = render(<FormError error={null} />);
    expect(container.innerHTML).toBe("");
  });

  it("says what did not happen, the plain reason and heedy's code", () => {
    const err = new HeedyError("bad_request", "Invalid name", 400, "x");
    render(<FormError error={err} title="The app was not created" />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("The app was not created");
    expect(alert.textContent).toContain("bad_request");
    expect(alert.textContent).not.toContain("server_error");
  });
});

describe("ConfirmDialog", () => {
  it("focuses Cancel and confirms only on the danger button", () => {
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
      this.setAttribute("open", "");
    };
    const onConfirm = vi.fn();
    const onClose = vi.fn();
    render(
      <ConfirmDialog
        open
        title="Delete it?"
        confirmLabel="Delete"
        pendingLabel="Deleting…"
        pending={false}
        error={null}
        onConfirm={onConfirm}
        onClose={onClose}
      >
        <p>It cannot be undone.</p>
      </ConfirmDialog>,
    );
    expect(document.activeElement?.textContent).toBe("Cancel");
    fireEvent.click(screen.getByText("Delete"));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onClose).not.toHaveBeenCalled();
  });
});
