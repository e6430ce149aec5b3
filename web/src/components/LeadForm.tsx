"use client";
import { useId, useState, type FormEvent } from "react";
import type { ApiClient } from "@/api/client";
import { ApiFailure } from "@/api/failure";
import type { DiverProfile, LeadType } from "@/api/types";
import { LEAD_FIELDS, leadRequest, prefillLead, validateLead, type LeadValues } from "@/lib/leadForm";
import { rememberLead } from "@/lib/storage";
import { TEXTS } from "@/texts";

interface Props {
  api: ApiClient;
  type: LeadType;
  profile: DiverProfile;
  sessionId: string | null;
  onDismiss: () => void;
}

type Outcome = "sent" | "duplicate" | null;

export default function LeadForm({ api, type, profile, sessionId, onDismiss }: Props) {
  const formId = useId();
  const [values, setValues] = useState<LeadValues>(() => prefillLead(type, profile));
  const [honeypot, setHoneypot] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  if (outcome) {
    return (
      <div className="lead-form done" role="status" data-testid="lead-outcome">
        {outcome === "sent" ? TEXTS.leadSuccess : TEXTS.leadDuplicate}
      </div>
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = validateLead(type, values);
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length) return;
    setSending(true);
    try {
      const response = await api.submitLead(leadRequest(type, values, sessionId, honeypot));
      setOutcome(rememberLead(response.leadId) ? "duplicate" : "sent");
    } catch (error) {
      if (error instanceof ApiFailure && Object.keys(error.fieldErrors).length) {
        setErrors(error.fieldErrors);
      } else {
        setFormError(error instanceof ApiFailure ? error.message : TEXTS.leadFailed);
      }
    } finally {
      setSending(false);
    }
  }

  return (
    <form className="lead-form" onSubmit={submit} noValidate aria-labelledby={`${formId}-title`} data-testid="lead-form">
      <h2 id={`${formId}-title`}>{TEXTS.leadIntro[type]}</h2>
      <p className="hint">{TEXTS.leadPrivacy}</p>
      {LEAD_FIELDS[type].map((field) => {
        const id = `${formId}-${field.name}`;
        const error = errors[field.name];
        const common = {
          id,
          name: field.name,
          value: values[field.name] ?? "",
          required: field.required,
          "aria-invalid": Boolean(error),
          "aria-describedby": error ? `${id}-error` : undefined,
          autoComplete: field.autoComplete ?? "off",
        };
        const change = (value: string) => setValues((v) => ({ ...v, [field.name]: value }));
        return (
          <div className="field" key={field.name}>
            <label htmlFor={id}>{field.label}</label>
            {field.kind === "textarea" ? (
              <textarea {...common} rows={3} maxLength={field.maxLength} onChange={(e) => change(e.target.value)} />
            ) : (
              <input
                {...common}
                type={field.kind}
                inputMode={field.kind === "number" ? "numeric" : undefined}
                min={field.min}
                max={field.max}
                maxLength={field.kind === "number" ? undefined : field.maxLength}
                onChange={(e) => change(e.target.value)}
              />
            )}
            {error && (
              <p className="field-error" id={`${id}-error`}>
                {error}
              </p>
            )}
          </div>
        );
      })}
      {/* Left empty by people, filled by bots: the server drops leads that fill it. */}
      <div className="honeypot" aria-hidden="true">
        <label htmlFor={`${formId}-website`}>Website</label>
        <input
          id={`${formId}-website`}
          name="website"
          tabIndex={-1}
          autoComplete="off"
          value={honeypot}
          onChange={(e) => setHoneypot(e.target.value)}
        />
      </div>
      {formError && (
        <p className="field-error" role="alert">
          {formError}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={sending}>
          {TEXTS.leadSubmit}
        </button>
        <button type="button" onClick={onDismiss}>
          {TEXTS.leadDismiss}
        </button>
      </div>
    </form>
  );
}
