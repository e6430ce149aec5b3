"""Every fixed text of the emergency path, written as prose.

The first emergency reply, and the answers to follow-ups while an emergency is in
progress. They are written from the knowledge base's first-aid and emergency-contact pages
(content/safety/diving-emergency-first-aid.md and emergency-contacts-by-region.md), which
the follow-up replies cite. None of them asks a question or offers a dive shop.
"""

EMERGENCY_REPLY = """\
This sounds like a diving emergency. Act now:
1. Stop diving and call for help: {local_numbers}
2. Keep the person lying flat and still, and keep them warm; if they are unresponsive and \
not breathing normally, start CPR.
3. Give 100% oxygen if someone trained and equipped is there — don't wait for symptoms to \
get worse.
4. Note the dive times, depths and any fast ascent for the medics.
5. Call DAN (Divers Alert Network) for dive-medicine advice: DAN Asia-Pacific \
+61-8-8212-9242, or the DAN worldwide emergency line +1-919-684-9111.
Don't let the person dive again, and get them to medical care even if they start to feel \
better."""

MALAYSIA_NUMBERS = "in Malaysia dial 999, or 112 from a mobile phone."

LOCAL_NUMBERS = {
    "Malaysia": MALAYSIA_NUMBERS,
    "Indonesia": "in Indonesia dial 112 (ambulance 118 or 119).",
    "Philippines": "in the Philippines dial 911.",
    "Thailand": "in Thailand dial 1669 for medical emergencies.",
    "Egypt": "in Egypt dial 123 for an ambulance.",
    "Maldives": "in the Maldives dial 102 for an ambulance.",
    "Australia": "in Australia dial 000, or 112 from a mobile phone.",
}

ALSO_MALAYSIA = " (In Malaysia: 999, or 112 from a mobile.)"

# --- while an emergency is in progress ----------------------------------------------------
# Each follow-up reply answers what the diver asked, then repeats the numbers.

FOLLOW_UP_NUMBERS = (
    "Emergency numbers: {local_numbers} DAN Asia-Pacific +61-8-8212-9242, DAN worldwide "
    "emergency line +1-919-684-9111."
)

# What to do next, when the diver reports what has been done or asks what else to do.
NEXT_STEPS = (
    "Keep going with what you are doing: keep them lying flat and still, give 100% oxygen "
    "if someone trained and equipped is there and keep it on until medical care takes "
    "over, and check their breathing, responsiveness and symptoms every few minutes, "
    "noting the times. Write down the dive profile for the medics: maximum depth, dive "
    "time, gas, any fast ascent or missed stop, and when the symptoms started."
)

FOLLOW_UP_ANSWERS = {
    "not_breathing": (
        "If they are not breathing normally, start CPR now: 30 chest compressions to 2 "
        "rescue breaths, about 100 to 120 compressions a minute, and use an AED if there is "
        "one. After drowning, rescue breaths matter most, because the problem began with a "
        "lack of oxygen."
    ),
    "oxygen": (
        "Give oxygen as close to 100% as you can — a demand-valve mask, or a non-rebreather "
        "mask at about 15 litres a minute — and keep it on until medical care takes over, "
        "even if they seem better. Keep naked flames and cigarettes away from it."
    ),
    "position": (
        "If they are conscious, keep them lying flat on their back; let them sit up a "
        "little only if breathing is hard. If they are unconscious but breathing, put them "
        "in the recovery position, on their side with the airway open. Don't use the old "
        "head-down position."
    ),
    "drink": (
        "Give water to drink only if they are fully conscious and able to swallow; nothing "
        "by mouth otherwise."
    ),
    "medicine": (
        "Don't give any medicine on your own: tell the medics or DAN what they have taken "
        "and let them advise. Oxygen is the first aid that matters now."
    ),
    "back_in_water": (
        "Never put the diver back in the water to recompress them: that can make things "
        "much worse. Recompression happens only in a chamber, under medical care."
    ),
    "warmth": (
        "Keep them warm and dry if they are cold, or in the shade if it is hot, and keep "
        "reassuring them: anxiety makes breathing harder."
    ),
    "records": (
        "Tell the medics where you are and how to reach you, what happened and when the "
        "symptoms began, the dive profile (maximum depth, dive time, gas, number of dives, "
        "any fast ascent or missed stop) and the first aid given, especially when the "
        "oxygen started. Keep the diver's dive computer with them."
    ),
    "better": (
        "Even if they feel better, keep the oxygen on and get them to medical care: "
        "symptoms of decompression illness can come back. No more diving, and no flying, "
        "until a dive-medicine doctor says so."
    ),
    "chamber": (
        "DAN coordinates recompression chambers and evacuations: call them and they will "
        "tell you which chamber is open and how to get there."
    ),
    "missing": (
        "Keep watching the spot where the diver was last seen and note the time; alert the "
        "boat crew and the coast guard or local emergency services now, and don't send "
        "more divers down without a plan — you must not become a second casualty."
    ),
}

# Sentences from the chamber list of emergency-contacts-by-region.md open with this when
# they are quoted for the diver's country.
CHAMBERS_NEAR = "Recompression chambers in {country}: "
