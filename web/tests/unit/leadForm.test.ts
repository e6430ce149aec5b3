import { describe, expect, it } from "vitest";
import { leadRequest, prefillLead, validateLead } from "@/lib/leadForm";
import { linkPhoneNumbers } from "@/lib/phones";

const valid = { name: "Ana Diver", email: "ana@example.com" };

describe("lead form validation (mirrors api/schemas.py)", () => {
  it("accepts a minimal training lead and requires name and email", () => {
    expect(validateLead("training", valid)).toEqual({});
    expect(Object.keys(validateLead("training", { name: "  ", email: "" }))).toEqual(["name", "email"]);
  });

  it("rejects an invalid email and a phone with letters", () => {
    const errors = validateLead("training", { ...valid, email: "ana@example", phone: "call me" });
    expect(Object.keys(errors).sort()).toEqual(["email", "phone"]);
    expect(validateLead("training", { ...valid, phone: "+60 12-345 6789" })).toEqual({});
  });

  it("enforces the length limits", () => {
    expect(validateLead("training", { ...valid, name: "x".repeat(101) })).toHaveProperty("name");
    expect(validateLead("training", { ...valid, name: "x".repeat(100) })).toEqual({});
    expect(validateLead("training", { ...valid, message: "m".repeat(2001) })).toHaveProperty("message");
    expect(validateLead("training", { ...valid, courseWanted: "c".repeat(101) })).toHaveProperty("courseWanted");
  });

  it("needs a destination for a trip and a group of 1 to 50", () => {
    expect(validateLead("trip", valid)).toHaveProperty("destination");
    const trip = { ...valid, destination: "Tioman" };
    expect(validateLead("trip", trip)).toEqual({});
    for (const size of ["0", "51", "2.5", "two"]) {
      expect(validateLead("trip", { ...trip, groupSize: size })).toHaveProperty("groupSize");
    }
    expect(validateLead("trip", { ...trip, groupSize: "50" })).toEqual({});
  });

  it("builds the request: trimmed, empty fields left out, group size a number, honeypot passed on", () => {
    const request = leadRequest(
      "trip",
      { ...valid, name: " Ana Diver ", destination: "Komodo", groupSize: "4", budget: "" },
      "sess-1",
      "",
    );
    expect(request).toEqual({
      type: "trip",
      data: { name: "Ana Diver", email: "ana@example.com", destination: "Komodo", groupSize: 4 },
      sessionId: "sess-1",
    });
    expect(leadRequest("training", valid, null, "http://spam").website).toBe("http://spam");
  });

  it("pre-fills from the diver's profile", () => {
    const profile = { agency: "PADI", certificationLevel: "Open Water", destination: "Tioman" };
    expect(prefillLead("training", profile)).toEqual({ currentLevel: "PADI Open Water", preferredLocation: "Tioman" });
    expect(prefillLead("trip", profile)).toEqual({ destination: "Tioman" });
  });
});

describe("emergency phone links", () => {
  it("links every number, not list markers or percentages", () => {
    const text = "1. Call 999, or 112 from a mobile.\n2. Give 100% oxygen.\n3. DAN +61-8-8212-9242.";
    expect(linkPhoneNumbers(text)).toBe(
      "1. Call [999](tel:999), or [112](tel:112) from a mobile.\n2. Give 100% oxygen.\n3. DAN [+61-8-8212-9242](tel:+61882129242).",
    );
  });
});
