// The lead forms (per the product brief) and the same validation the server applies
// (api/schemas.py), so a diver sees a problem before sending.
import type { DiverProfile, LeadRequest, LeadType } from "@/api/types";

export type FieldKind = "text" | "email" | "tel" | "textarea" | "number";

export interface LeadField {
  name: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  maxLength: number;
  autoComplete?: string;
  min?: number;
  max?: number;
}

const COMMON: LeadField[] = [
  { name: "name", label: "Name", kind: "text", required: true, maxLength: 100, autoComplete: "name" },
  { name: "email", label: "Email", kind: "email", required: true, maxLength: 254, autoComplete: "email" },
  { name: "phone", label: "Phone (optional)", kind: "tel", maxLength: 20, autoComplete: "tel" },
];
const MESSAGE: LeadField = {
  name: "message",
  label: "Anything else the shop should know? (optional)",
  kind: "textarea",
  maxLength: 2000,
};

export const LEAD_FIELDS: Record<LeadType, LeadField[]> = {
  training: [
    ...COMMON,
    { name: "currentLevel", label: "Current certification (optional)", kind: "text", maxLength: 100 },
    { name: "courseWanted", label: "Course you want (optional)", kind: "text", maxLength: 100 },
    { name: "preferredLocation", label: "Where would you like to train? (optional)", kind: "text", maxLength: 100 },
    MESSAGE,
  ],
  trip: [
    ...COMMON,
    { name: "destination", label: "Destination", kind: "text", required: true, maxLength: 100 },
    { name: "travelDates", label: "Travel dates (optional)", kind: "text", maxLength: 100 },
    { name: "groupSize", label: "Group size (optional)", kind: "number", maxLength: 2, min: 1, max: 50 },
    { name: "budget", label: "Budget (optional)", kind: "text", maxLength: 100 },
    MESSAGE,
  ],
};

export type LeadValues = Record<string, string>;

const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[A-Za-z]{2,}$/;
const PHONE = /^[0-9+()\-. ]{3,20}$/;

/** Field name → what is wrong with it; empty when the form can be sent. */
export function validateLead(type: LeadType, values: LeadValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of LEAD_FIELDS[type]) {
    const value = (values[field.name] ?? "").trim();
    if (!value) {
      if (field.required) errors[field.name] = `${field.label} is required.`;
      continue;
    }
    if (field.kind === "number") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < (field.min ?? -Infinity) || n > (field.max ?? Infinity)) {
        errors[field.name] = `Enter a whole number from ${field.min} to ${field.max}.`;
      }
      continue;
    }
    if (value.length > field.maxLength) {
      errors[field.name] = `Keep this under ${field.maxLength + 1} characters.`;
    } else if (field.kind === "email" && !EMAIL.test(value)) {
      errors[field.name] = "Enter a valid email address, like name@example.com.";
    } else if (field.kind === "tel" && !PHONE.test(value)) {
      errors[field.name] = "Use digits, spaces and + ( ) - . only (3 to 20 characters).";
    }
  }
  return errors;
}

/** The request for a valid form: trimmed values, empty ones left out, group size a number. */
export function leadRequest(
  type: LeadType,
  values: LeadValues,
  sessionId: string | null,
  honeypot: string,
): LeadRequest {
  const data: Record<string, string | number> = {};
  for (const field of LEAD_FIELDS[type]) {
    const value = (values[field.name] ?? "").trim();
    if (value) data[field.name] = field.kind === "number" ? Number(value) : value;
  }
  // The fields come from LEAD_FIELDS[type] and were validated by validateLead, so the
  // object has the required fields of its type's branch of the contract's union.
  return {
    type,
    data,
    ...(sessionId ? { sessionId } : {}),
    ...(honeypot ? { website: honeypot } : {}),
  } as LeadRequest;
}

function text(profile: DiverProfile, key: string): string {
  const value = profile[key];
  return typeof value === "string" ? value : "";
}

/** What the conversation already told us, so the diver does not type it again. */
export function prefillLead(type: LeadType, profile: DiverProfile): LeadValues {
  if (type === "training") {
    const level = [text(profile, "agency"), text(profile, "certificationLevel")]
      .filter(Boolean)
      .join(" ");
    return { currentLevel: level, preferredLocation: text(profile, "destination") };
  }
  return { destination: text(profile, "destination") };
}
