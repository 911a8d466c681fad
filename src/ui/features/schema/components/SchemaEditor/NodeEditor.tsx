import { useEffect, useId, useState } from "react";
import {
  type EnumValue,
  formatEnumText,
  nodeOfType,
  parseEnumText,
  STRING_FORMATS,
  TYPE_LABELS,
  VISUAL_TYPES,
  type VisualNode,
  type VisualProperty,
  type VisualType,
} from "../../../../shared/schema/visual-schema";

interface NodeEditorProps {
  node: VisualNode;
  onChange(node: VisualNode): void;
  /** Label of the type select, e.g. "Data type" at the root, "Type" in a property. */
  typeLabel: string;
  depth: number;
  disabled?: boolean;
}

/** Edits one schema node; objects and arrays recurse into their properties and items. */
export function NodeEditor({ node, onChange, typeLabel, depth, disabled }: NodeEditorProps) {
  const id = useId();
  const types: VisualType[] = node.type === "custom" ? [...VISUAL_TYPES, "custom"] : [...VISUAL_TYPES];
  const extraKeys = Object.keys(node.extra);
  return (
    <div className="node-editor">
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-type`}>{typeLabel}</label>
          <select
            id={`${id}-type`}
            value={node.type}
            disabled={disabled}
            onChange={(e) => onChange(nodeOfType(e.target.value as VisualType, node))}
          >
            {types.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        {node.type !== "custom" && (
          <div className="field grow">
            <label htmlFor={`${id}-description`}>Description</label>
            <input
              id={`${id}-description`}
              type="text"
              value={node.description ?? ""}
              disabled={disabled}
              onChange={(e) => onChange({ ...node, description: e.target.value || undefined })}
            />
          </div>
        )}
      </div>
      <TypeSettings node={node} onChange={onChange} depth={depth} disabled={disabled} />
      {node.type === "custom" && (
        <p className="hint">
          This part of the schema uses JSON Schema features the visual editor does not show. Edit it as JSON.
        </p>
      )}
      {node.type !== "custom" && extraKeys.length > 0 && (
        <p className="hint">Also has {extraKeys.join(", ")} (kept as they are; edit them as JSON).</p>
      )}
    </div>
  );
}

function numberOrUndefined(text: string): number | undefined {
  if (text.trim() === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function TypeSettings({ node, onChange, depth, disabled }: Omit<NodeEditorProps, "typeLabel">) {
  const id = useId();
  switch (node.type) {
    case "number":
    case "integer":
      return (
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-min`}>Minimum</label>
            <input
              id={`${id}-min`}
              type="number"
              step="any"
              value={node.minimum ?? ""}
              disabled={disabled}
              onChange={(e) => onChange({ ...node, minimum: numberOrUndefined(e.target.value) })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-max`}>Maximum</label>
            <input
              id={`${id}-max`}
              type="number"
              step="any"
              value={node.maximum ?? ""}
              disabled={disabled}
              onChange={(e) => onChange({ ...node, maximum: numberOrUndefined(e.target.value) })}
            />
          </div>
        </div>
      );
    case "string":
      return (
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-format`}>Format</label>
            <select
              id={`${id}-format`}
              value={node.format ?? ""}
              disabled={disabled}
              onChange={(e) => onChange({ ...node, format: e.target.value || undefined })}
            >
              <option value="">Any text</option>
              {STRING_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
              {node.format && !(STRING_FORMATS as readonly string[]).includes(node.format) && (
                <option value={node.format}>{node.format}</option>
              )}
            </select>
          </div>
        </div>
      );
    case "enum":
      return (
        <EnumValuesInput
          values={node.enumValues ?? []}
          disabled={disabled}
          onChange={(enumValues) => onChange({ ...node, enumValues })}
        />
      );
    case "object":
      return (
        <PropertiesEditor
          properties={node.properties ?? []}
          depth={depth}
          disabled={disabled}
          onChange={(properties) => onChange({ ...node, properties })}
        />
      );
    case "array":
      return (
        <fieldset className="nested">
          <legend>Items</legend>
          <NodeEditor
            node={node.items ?? nodeOfType("any")}
            typeLabel="Item type"
            depth={depth + 1}
            disabled={disabled}
            onChange={(items) => onChange({ ...node, items })}
          />
        </fieldset>
      );
    default:
      return null;
  }
}

/** Comma-separated values; the text is kept as typed while it still means the same values. */
function EnumValuesInput({
  values,
  onChange,
  disabled,
}: {
  values: EnumValue[];
  onChange(values: EnumValue[]): void;
  disabled?: boolean;
}) {
  const id = useId();
  const [text, setText] = useState(() => formatEnumText(values));
  useEffect(() => {
    setText((current) =>
      JSON.stringify(parseEnumText(current)) === JSON.stringify(values) ? current : formatEnumText(values),
    );
  }, [values]);
  return (
    <div className="field">
      <label htmlFor={`${id}-values`}>Allowed values</label>
      <input
        id={`${id}-values`}
        type="text"
        value={text}
        disabled={disabled}
        aria-describedby={`${id}-help`}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseEnumText(e.target.value));
        }}
      />
      <span id={`${id}-help`} className="hint">
        Separate with commas: <code>low, medium, high</code> or <code>1, 2, 3</code>. Quote a value to keep it
        text: <code>"42"</code>.
      </span>
    </div>
  );
}

function PropertiesEditor({
  properties,
  onChange,
  depth,
  disabled,
}: {
  properties: VisualProperty[];
  onChange(properties: VisualProperty[]): void;
  depth: number;
  disabled?: boolean;
}) {
  const id = useId();
  const update = (index: number, property: VisualProperty) =>
    onChange(properties.map((p, i) => (i === index ? property : p)));
  return (
    <div className="properties">
      <h3 className="properties-title label-title">Properties</h3>
      {properties.length === 0 && <p className="hint">No properties yet: any object is accepted.</p>}
      {properties.map((property, index) => {
        const label = property.name ? `Property ${property.name}` : `Property ${index + 1}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are identified by position while names are edited.
          <fieldset key={index} className={`property depth-${Math.min(depth, 3)}`} aria-label={label}>
            <legend>{property.name || `Property ${index + 1}`}</legend>
            <div className="field-row">
              <div className="field">
                <label htmlFor={`${id}-${index}-name`}>Name</label>
                <input
                  id={`${id}-${index}-name`}
                  type="text"
                  value={property.name}
                  disabled={disabled}
                  spellCheck={false}
                  onChange={(e) => update(index, { ...property, name: e.target.value })}
                />
              </div>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={property.required}
                  disabled={disabled}
                  onChange={(e) => update(index, { ...property, required: e.target.checked })}
                />
                Required
              </label>
              <button
                type="button"
                className="button subtle danger"
                disabled={disabled}
                aria-label={`Remove ${property.name ? `property ${property.name}` : `property ${index + 1}`}`}
                onClick={() => onChange(properties.filter((_, i) => i !== index))}
              >
                Remove
              </button>
            </div>
            <NodeEditor
              node={property.node}
              typeLabel="Type"
              depth={depth + 1}
              disabled={disabled}
              onChange={(node) => update(index, { ...property, node })}
            />
          </fieldset>
        );
      })}
      <button
        type="button"
        className="button"
        disabled={disabled}
        onClick={() => onChange([...properties, { name: "", required: false, node: nodeOfType("number") }])}
      >
        Add property
      </button>
    </div>
  );
}
