"""Is something acute happening now? The rules: the floor under the learned detector.

No model call may delay an emergency, so these rules run first on every turn and need
nothing but the text; graph/routing/emergency_detector.py adds a classifier on the turn's
embedding for wordings no rule was written for. Either one is enough.

A message is an emergency when it reports a *current* problem — symptoms during or after a
dive, a diver missing or unconscious — for the writer or someone with them, however it is
worded or spelled. Questions about symptoms, past events, hypotheticals, training
scenarios and habitual complaints are not emergencies; they go to the safety agent.

Two tiers of signal:
- critical: a person not breathing, unconscious, collapsed, missing or drifting away, or
  coughing blood. These count unless the message is plainly hypothetical, educational,
  fictional or about training.
- symptoms: numbness, tingling, joint pain, chest pain, breathlessness, confusion,
  weakness, dizziness, vomiting, marbled skin, vision or hearing change, severe headache.
  These count when the message places them now or after a dive, and is not framed as a
  question about symptoms, a past episode, a hypothetical or a habit.
Missing an emergency is the worst failure the product can have, so ambiguity resolves
towards the emergency reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.routing.malay import to_english
from graph.routing.text import any_of

# Spelling variants seen in real messages are folded before matching.
_FOLD = [
    (r"\bcan'?t\b|\bcannot\b|\bcan not\b", "cant"),
    (r"\bisn'?t\b", "isnt"),
    (r"\bhasn'?t\b|\bhaven'?t\b|\bhas not\b|\bhave not\b", "hasnt"),
    (r"\bdidn'?t\b|\bdid not\b", "didnt"),
    (r"\bwon'?t\b", "wont"),
    (r"\bdoesn'?t\b|\bdoes not\b", "doesnt"),
    (r"\bi'?m\b", "i am"),
    (r"\bhe'?s\b", "he is"),
    (r"\bshe'?s\b", "she is"),
    (r"\bthey'?re\b", "they are"),
    (r"\bwe're\b", "we are"),
    # "were" is "we're" typed fast only where no subject comes before it ("were drifting!"),
    # and not in an inverted condition ("were I to get bitten") nor after one ("we were left").
    (
        r"(^|[.!?,;:]\s*)were\b(?! (i|you|he|she|it|we|they|there|the|my|your|his|her|our|their|a|an)\b)",
        r"\1we are",
    ),
    (r"\bu\b", "you"),
    # Texting: "wat 2 do if ur buddy faints" reads as "what to do if your buddy faints".
    (r"\bur\b", "your"),
    (r"\b(wat|wht|wut)\b", "what"),
    (r"\b2 (do|be|get|go|call|say|know)\b", r"to \1"),
    (r"\bpls\b|\bplz\b", "please"),
    (r"[’`]", "'"),
]

PEOPLE = r"(he|she|they|buddy|friend|freind|diver|divers|husband|hubby|wife|son|daughter|dad|father|mum|mom|mother|brother|sister|instructor|divemaster|guide|someone|somebody|guy|girl|man|woman|kid|child|partner|boyfriend|girlfriend|student|students|kids|children|people|kawan)"
HIM = rf"(him|her|them|a diver|(my|our|the|his|her|their) {PEOPLE})"

CRITICAL = any_of(
    r"\b(not|isnt|no longer|stopped|wasnt|arent|never started) breath\w*",
    r"\bno (pulse|breathing|heartbeat)\b",
    r"\b(unconscious|unconcious|unconsious|uncons\w*|unresponsive|not responding|non ?responsive)\b",
    r"\b(cant|wont|doesnt|not) (wake|waking|come to|respond\w*)\b|\bwont wake\b",
    # Hurt and silent: "one diver is hurt and not talking".
    r"\b(hurt|injured|bleeding|hit)\b[^.?!]{0,30}\b(not|isnt|cant|wont|stopped) (talking|speaking|answering|responding)\b",
    # Boats that collided, capsized or ran someone over, with someone hurt or in the water.
    r"\b(collided|collision|crashed into|capsized|flipped over|rammed|ran over)\b[^.?!]{0,80}"
    r"\b(hurt|injured|bleeding|unconscious|not (talking|moving|breathing)|in the water|overboard)\b",
    r"\b(passed out|blacked out|fainted|keeled over)\b|(?<!wreck )(?<!lung )(?<!roof )(?<!hull )(?<!cave )(?<!reef )(?<!tunnel )(?<!wreck is )(?<!hull is )(?<!roof is )(?<!cave is )\b(collapsed?|collapsing)\b",
    r"\b(almost|nearly|about to|going to) (faint\w*|pass\w* out|black\w* out)",
    r"(?<!no )(?<!without )(?<!without a )\b(seizure|seizing|convuls\w*|having a fit|twitching and jerking|jerking)\b(?!-free| free)"
    r"|\b(shaking|jerking|twitching|having) fits\b",
    r"\beyes (rolled|rolling) back\b",
    rf"\b{PEOPLE} (\w+ )?(seized|convulsed)\b",
    r"\bcough\w* (up )?(blood|pink|froth\w*|foam\w*)|\b(froth|foam)\w* at the (mouth|nose)\b",
    r"\b(pink|bloody|blood ?stained)\b[^.?!]{0,15}\b(froth\w*|foam\w*|spit|sputum|saliva)\b|\b(froth|foam)\w* (spit|sputum|saliva)\b",
    r"\b((inhaled|breathed in|swallowed|choking on|took in) (a lot of |lots of |loads of |so much |too much |some |a lungful of )?|(got|had|took) (a lungful of|lungfuls of) )(sea ?)?water\b[^.?!]{0,40}\b(cough\w*|gasp\w*|cant breath\w*|wheez\w*|froth\w*|foam\w*|breathing (fast|hard|heav\w*|rapid\w*|weird\w*|funny|noisily)|sleepy|drowsy)",
    r"\b(is|are|keeps?|still) (gasping|wheezing)\b",
    r"\blips (are |turned |going )?blue\b|\bturn(ed|ing) blue\b",
    r"\b(doing|giving|started) cpr\b|\bcpr now\b|\b(doing|giving|started|starting) (chest )?compressions\b",
    rf"\b({PEOPLE}|he is|she is|they are|is|are) (still )?(not moving|motionless|lifeless)\b",
    r"\bdiver (is )?down\b",
    # A boat in distress now: on fire, sinking, taking on water.
    r"\b(boat|liveaboard|vessel|ship|tender|dinghy)\b (is |are )?(on fire|burning|sinking|capsizing|taking (on )?water)\b"
    r"(?! in (price|value|cost|popularity))"
    r"|\b(engine|boat|liveaboard|galley) fire\b|\bfire on (the |our )?(boat|liveaboard|vessel|deck)\b",
    r"(?<!\bit )(?<!\bthat )(?<!\bthis )\b(hasnt|didnt|not|never) (come|came|surfaced?|resurfaced|come back|came back)( back)?( up)?\b",
    r"\b(i am|we are|he is|she is|they are) (sinking|going down)\b(?! (money|cash|into|on purpose|slowly to))",
    r"\b(was|were|been|got|is|are) (left|forgotten|abandoned) (behind )?(at (the )?(dive )?(site|reef|mooring|surface)|in the water|at sea|out there|by (the|our|a) (dive |day )?boat)\b",
    # Texting drops the verb: "friend left at island site boat already back".
    rf"\b{PEOPLE} (left|forgotten|abandoned) (behind )?(at|on) (the )?(\w+ )?(dive )?(site|reef|mooring|buoy)\b",
    # First aid under way is a report of now.
    r"\b(him|her|them) on (oxygen|o2)\b|\b(put|applied|applying|loosen|tighten)\w* (a |the )?tourniquet\b|\btourniquet (is )?on\b|\bambulance (is )?\d+ ?min",
    r"\b(coast ?guard|ambulance|paramedics|rescue boat|helicopter|help)\b (is |are )?(on (the|its|their) way|coming|called|en route)\b",
    r"\bnot (back|up) yet\b|\bstill (underwater|down there|missing)\b",
    r"\b(hasnt|didnt|not|never|yet to) (return|returned|make it back|made it back|reappear\w*)\b",
    rf"\b{PEOPLE} (just |then )?(went|has gone|slipped|sank|is sinking|disappeared) (under|below|down)\b(?! with)",
    rf"\b{PEOPLE} (just |then |suddenly )?sank\b(?! (into|in|like|on purpose|money|a|the|his|her|my)\b)",
    r"\blost contact with\b|\bcant find (one of|my dive|our dive)\b|\bnot at the surface\b",
    r"\b(missing|lost) (diver|buddy|person|student|kid|child)\b|\bdiver(s)? (is |are )?missing\b",
    # Missing said otherwise: "one of ours is unaccounted for", "the boat is one diver short",
    # "no sign of his SMB".
    r"\bunaccounted for\b|\b(one|two|three|a) (diver|child|kid|person|student|buddy|swimmer|snorkell?er)s? short\b"
    r"|\b(one|two|three) short\b(?=\s*([.,;:!?]|$|(and|now|on|in|at|after|since|when|but|so)\b))"
    r"|\bno sign of (him|her|them|(his|her|their|an?|the|any) (d?smb|sausage|marker buoy|bubbles|buddy|diver))\b",
    rf"\b{PEOPLE} (is |are |still )?missing\b(?!\W+(out|the|a|an|his|her|my|their|from|in action|some|any)\b)",
    # In and out of consciousness; run over by a boat.
    r"\b(drifting|going|slipping|fading|passing) in and out\b",
    # (Something that went "right over my head" is a manta or a joke, not a hull.)
    r"\b(went|drove|ran|came|passed) (right |straight )?over\b[^.?!]{0,20}\b(divers?|snorkell?ers?|swimmers?|him|her|them|us|me|my (?!head\b)\w+)\b",
    rf"\b{PEOPLE}\b(?!'s)[^.?!]{{0,20}}\b(is|are|went|gone|has gone|have gone|has been|have been) missing\b(?!\W+from)",
    r"\b(nobody|no one|noone|no ?body) can (find|see|spot|reach) (him|her|them)\b",
    r"\blost (the|a|my|our|one|two|a second) (other )?(diver|divers|group|student)\b|\b(alone (at|on) the surface|(at|on) the surface alone)\b",
    r"\blost (my|our|his|her) (dive )?(buddy|friend|partner|husband|wife|son|daughter|group|guide|instructor)\b(?!'s)",
    rf"\b(lost sight of|cant see|cannot see|cant spot|cant find|cannot find|no sign of) ({HIM}|(my|our|the) group)\b",
    # Nowhere to be seen, by the person or what marks them: "cant spot his snorkel anywhere".
    rf"\b(cant|cannot|unable to|couldnt) (see|spot|find)\b (him|her|them|his|their|(my|our) {PEOPLE})\b"
    r"[^.?!]{0,40}\banywhere\b",
    r"\b(he|she|they) (is|are) (not|nowhere) (here|there|to be seen|in sight)\b|\bout of sight\b",
    r"\bbubbles (have )?stopped\b",
    # (A thing carried off is no person: "fin drifted away at surface lol".)
    r"(?<!fin )(?<!fins )(?<!mask )(?<!camera )(?<!snorkel )(?<!torch )(?<!smb )(?<!hat )(?<!cap )(?<!towel )(?<!bag )"
    r"(?<!bottle )(?<!board )(?<!paddle )(?<!sunglasses )(?<!glove )(?<!gloves )(?<!bootie )(?<!weight )"
    r"\b(drift\w*|swept|sweep\w*|pull\w*|carr\w*|drag\w*) (\w+ )?(away|out to sea)\b|\b(carr\w*|pull\w*|drag\w*|sweep\w*) (him|her|them|us|me) (out|off)\b",
    r"\b(we|i|they|he|she) (are|am|is|have been|were just) (\w+ )?(adrift|drifting|being swept|left behind)\b(?! (along|off|with))",
    # Texting drops the pronoun: "drifting fast past the point", "cant swim against it".
    r"(^|[.!?,;]\s*)(drifting|being (swept|carried|pushed|dragged)) (fast|quickly|away|out|off|past|further)\b"
    r"|\b(cant|unable to|cannot|couldnt) (swim|kick|fin|make (any )?headway) against (it|the (current|tide|flow|rip))\b",
    # Carried off by the water, with the boat far away: "current took us way off the reef".
    r"\b(current|tide|swell|wind|surge) (has |have |is |just )?(took|taken|taking|carried|carrying|pushed|pushing|dragged|dragging|swept|sweeping)"
    r" (us|me|him|her|them) (\w+ )?(off|away|out|past|beyond)\b",
    r"\bboat (looks|is|seems) (so |really |very )?(tiny|miles away|a dot|so far|far away)\b"
    r"|\bboat (looks|is|seems) (like )?(a |just a )?(tiny |little |small )?(speck|dot)\b",
    # Not counted back on board: "they forgot to count us and left".
    r"\b(forgot|forgotten|didnt count|miscounted|lost count of)\b[^.?!]{0,30}\b(us|me|them)\b[^.?!]{0,30}\b(left|gone|sailed|drove off)\b",
    # Still being carried off, told in the present perfect or progressive (a dive's story of
    # drifting past the point is told in the past): "we've been carried past the headland".
    r"\b(have|has|'ve|ve) been (carried|swept|pushed|dragged|blown|taken) (\w+ )?(past|beyond|away|out|off|around|round)\b"
    r"|\b(are|am|is|keep|keeps) (being|getting) (carried|swept|pushed|dragged|blown) (\w+ )?(past|beyond|away|out|off)\b",
    r"\b(skipper|captain|crew|boat|tender|they)\b[^.?!]{0,30}\b(sailed|motored|drove|sped|went) (off|away)\b"
    r"|\balone (at|on|in) the (mooring|surface|water|sea|reef|site|buoy|line)\b",
    r"\bno sign of (the|our|a|any) (dive )?(boat|tender|dinghy|rib|skiff|pick ?up)\b|"
    r"\bboat (has )?(left|gone|sailed|driven) (off )?without (us|me|them|him|her)\b|\bcant see (the|our) boat\b",
    # The boat that should pick us up is not there: "the tender wasn't there, it's been 25 min".
    r"\b(boat|tender|dinghy|rib|skiff|liveaboard)('s)? (wasn'?t|isnt|is not|was not|never|hasnt|not) "
    r"(there|here|waiting|back|come|came|turned up|shown up|showed up)\b",
    r"\bwaving (his|her|their) arms\b|\bcalling for help\b|\bcrying for help\b",
    r"\bface ?down\b.*\b(water|surface)\b|\bface ?down\b[^.?!]{0,20}\b(not moving|motionless|limp|lifeless|not breathing)\b",
    r"\b(is|are) drowning\b|\bdrowning\b(?! (risk|prevention))|\bnearly drown\w*|\balmost drown\w*",
    r"\b(hit|struck|run over|cut|caught) by (a |the |another |a passing |a speed ?)?(boat|propeller|prop)\b",
    r"\b(propeller|prop)\b[^.?!]{0,20}\b(hit|cut|struck|caught|sliced|got)\b",
    # The wound named first, and bleeding that goes on: "deep cut from the propeller, bleeding won't stop".
    r"\b(cut|gash|wound|slice\w*|injur\w*)\b[^.?!]{0,30}\bfrom (the|a) (propeller|prop)\b"
    r"|\b(bleeding|blood) (wont|doesnt|isnt going to|will not) stop\b",
    r"\b(throat|tongue|lips|face) (is |are |feels? )?(\w+ )?(swelling|swollen|closing|thick|tight\w*)\b|\bcant swallow\b",
    r"\b(i am|we are|he is|she is|buddy is|i ran|he ran|she ran) out of air\b|\b(reg|regulator|octo) (is |just )?(free ?flow\w*|stopped|not giving)(?!\w* when)",
    r"\bsharing (air|my|his|her|the octo)\b|\bgiving (him|her) my (octo\w*|alternate|spare)\b",
    # Gear goes limp or white too ("the regulator hose is limp"): only people count.
    r"(?<!regulator )(?<!reg )(?<!hose )(?<!strap )(?<!line )(?<!flag )(?<!smb )(?<!bcd )(?<!bc )(?<!fin )(?<!sail )"
    r"\b(went|goes|going|is|gone) (limp|floppy|stiff|grey|gray|white)\b(?<!neck is stiff)(?<!back is stiff)(?<!jaw is stiff)(?<!knee is stiff)(?<!hip is stiff)|\bstiffened\b|\b(is|are|started|keeps) fitting\b"
    rf"|\b{PEOPLE} fitting\b(?! (well|nicely|fine|tight|snug|perfectly|ok|in|into|the|a|his|her|my|their))",
    r"\bbleeding (badly|a lot|heavily|everywhere)\b|\blots of blood\b|\bblood (pouring|everywhere|all over)\b|\bwont stop bleeding\b"
    r"|\bcant stop (the |my |his |her )?(nose ?bleed\w*|bleeding)\b",
    r"\b(shark|eel|barracuda|croc\w*|sea snake|snake|krait|cone snail|cone shell) (bit|bite|has bitten|stung)\b|\bbitten by (a |the )?(\w+ )?(shark|eel|moray|barracuda|croc\w*|sea snake|snake|krait|sea lion|seal|triggerfish)\b",
    # A bite that bleeds, whatever bit.
    # ("A bit high" is no bite: "my blood pressure is a bit high".)
    r"\b(bit|bitten)\b(?! (of )?(blood|bleeding))[^.?!]{0,40}\b(bleeding|blood|punctures?|wound|gash)\b|\b(bleeding|blood|punctures?|wound|gash)\b[^.?!]{0,40}(?<!\ba )(?<!\blittle )\b(bit|bitten)\b",
    r"\bboat (just )?(drove|left|went|sailed) (off|away|back|without)\b|\b(boat|tender) is leaving\b|\bboat left us\b",
    r"\b(thrashing|freaking out|screaming|clinging)\b[^.?!]{0,40}\b(water|surface|ladder|mask|reg|bc|bcd)\b",
    r"\b(stopped shivering|teeth chattering|hypotherm\w*)\b",
    # A sting or bite whose poison spreads through the body.
    r"\b(stung|sting|bitten|bite|spined?|spines)\b[^.?!]{0,60}\b(spread\w*|red streak\w*|hives|all over|"
    r"throat|cant breath\w*|(trouble|difficulty|struggling) breathing|short of breath|wheez\w*)\b",
    r"\b(out cold|wont open (his|her|their) eyes|not answering|barely responding|spluttering|gurgling|aspirated)\b",
    # Out of air or gear failing at depth.
    r"\b(no air left|tank (is )?empty\b(?![^.?!]{0,40}\b(fill|refill|buy|rent)\b)|running out of air)",
    r"\b(cant|unable to) (deflate|get free|get out)\b|\b(entangled|tangled)\b|\bstuck (inside|in) the (wreck|cave)\b",
    r"\b(rocketing|floating|going|shooting) up (fast|uncontrollably)\b|\bdragging me up\b"
    r"|\b(i am|we are|he is|she is|they are) (rocketing|shooting|bolting) (up|to the surface)\b",
    r"\b(hose|reg\w*|second stage|mouthpiece) (\w+ )?(burst|came off|fell off|broke off)\b|"
    r"\bbreathing (from|off) (my |his |her |the |our )?(octo\w*|alternate|buddy'?s? \w+|pony)\b|\bbreathing wet\b|\bleaking air\b|\bloop flooded\b|\bbailing out\b",
    # Left behind by the boat.
    r"\bboat('s| is| has| had| already)? (gone|left|leaving|took off|go away|came back without)\b",
    r"\b(left|forgot) (us|me|without us|(my|our) (buddy|son|daughter|wife|husband|friend|kid|child|group) (behind|at the site))\b(?! speechless)(?! (off|out of) (the )?(\w+ )?(list|manifest|booking|email|chat))|\babandoned at\b|\bpulled anchor\b",
    r"\b(still|alone) (in|out) (the )?(water|there|sea)\b",
)

SYMPTOM = any_of(
    r"\bnumb(ness|ed|ing)?\b",
    r"\btingl\w*|\btingels?\b",
    r"\bpins and needles\b",
    # Air under the skin or about the voice box after a fast ascent.
    r"\bcrackling under the skin\b|\bhoarse voice\b|\bvoice (sounds|is|has gone|went|gone) (\w+ )?(funny|weird|strange|odd|hoarse|croaky|squeaky|crackly|different)\b",
    r"\b(terrible|severe|excruciating|unbearable|awful|horrible|agonising|agonizing|intense) pain\b",
    r"\bno feeling\b",
    # A limb that feels wrong: "my legs feel weird and heavy", "my arm feels dead".
    r"\b(legs?|arms?|hands?|feet|foot|limbs?|fingers?|toes?) (feels?|felt|feeling) (\w+ )?(and )?"
    r"(weird|strange|funny|odd|wrong|dead|heavy)\b(?! (in|with) (the |my |these |those |his |her )?(\w+ )?(fins?|boots?|wetsuit|suit|gloves?|shoes?))",
    # In pain, said of someone: "I'm in pain 20 min after surfacing".
    r"\b(i am|he is|she is|they are|we are|is|are|am) (still )?(in (a lot of |so much |real |serious |bad |terrible )?pain)\b",
    r"\b(deep|dull|same|strange|weird|bad|sharp|throbbing|burning|gnawing|stabbing|shooting)(,? \w+)? (ache|pain)\b",
    r"\b(cant|not able to|unable to|can barely|barely) (feel|move|walk|stand|breath\w*|speak|talk|remember|lift|squeeze|grip)\b|\blegs? (buckle\w*|not working|gave way|wont work)\b",
    r"\bparaly\w*",
    r"\b(weak|weakness)\b(?! (current|swimmer))",
    # Heavy limbs, not heavy gear: "legs feel heavy", not "a dive with heavy gear".
    r"\b(is|are|am|feel|feels|felt|feeling|so|very|really|gone|went|all) heavy\b(?! (gear|tanks?|weights?|bags?|load|current|seas?|rain|traffic))"
    r"|\bheavy (arms?|legs?|limbs?|head|body)\b|\bbleeding\b[^.?!]{0,20}\bheavy\b",
    r"\b(joints?|shoulders?|elbows?|knees?|hips?|wrists?|ankles?|back|neck|arms?|legs?|stomach|belly|abdomen)\b[^.?!]{0,25}\b(pain|painful|hurt\w*|ache\w*|aching|killing|throb\w*)\b",
    r"\b(pain|hurt\w*|ache\w*|aching)\b[^.?!]{0,25}\b(joints?|shoulders?|elbows?|knees?|hips?|back|neck|arms?|legs?)\b",
    r"\bchest\b(?! (strap|d-?ring|buckle|pocket|mount|harness))[^.?!]{0,20}\b(pain|hurt\w*|tight\w*|pressure|ache\w*|heavy|sore)\b"
    r"|\bchest (feels?|felt|feeling) (really |very |a bit |so )?(funny|weird|strange|odd|wrong)\b",
    r"\b(pain|tight\w*|pressure)\b[^.?!]{0,15}\bin (my|his|her|the) chest\b",
    r"\b(short of|shortness of|out of) breath\b|\bbreathless\w*\b|\bcatch (my|his|her|their) breath\b",
    r"\b(trouble|difficulty|hard|struggling|problems?) (to )?breath\w*\b|\bbreathing (is )?(hard|difficult|weird|funny|labou?red)\b"
    # A breath likened to a struggle: "breathing feels like sucking through a straw".
    r"|\b(breathing|breath|each breath|every breath|breathe) (feels?|is|felt) (like|as if|as though) \w+",
    r"\bhurts when (i|he|she) breath|\b(hurts|painful|sore|pain) to breath\w*",
    r"\b(confused|confusion|disorient\w*|not making sense|acting (really |very |a bit |so )?(weird|strange\w*|odd|off|drunk|funny)|not (himself|herself|themselves)|slurr\w*|incoheren\w*|(getting|got|gone|become|became|turned|being|acting|is|so|very|really) aggressive|delirious)\b",
    r"\b(doesnt|dont|didnt|cant|does not) (know|remember|tell me) (where|what day|what time|who|what year|my name)\b",
    # Asking the same thing again and again: memory gone.
    r"\b(asking|asks|asked|saying|says) (me )?the same (question|thing)s? (over and over|again and again|repeatedly|every)\b",
    r"\b(ear|ears|eardrum)\b[^.?!]{0,40}\b(pain|hurt\w*|ache\w*|aching|screaming|killing|agony|popped|burst|ruptured)\b",
    r"\b(my|his|her|the|their) (hearing|vision|sight|eyesight|field of view) (is |has |'s )?(gone|going|went)\b",
    r"\bcant hear (anything|properly|well|a thing|out of|from|on|in|with)\b|\bcant hear\s*([.,;!?]|$)",
    r"\b(feel|feels|feeling) (really |very |so |a bit )?(sick|queasy|rough)\b(?! (with|about|of))",
    r"\bgetting (sleepier|drowsier|drowsy|sleepy|more (confused|drowsy|sleepy))\b|\b(is|are|am|feels?|seems?|looks?|very|so|really) drowsy\b|\bcant stay awake\b|\bkeeps? (falling asleep|nodding off)\b",
    # Looking drunk with nothing drunk: balance and coordination gone.
    r"\b(looks?|seems?|acting|acts|walking|walks) (\w+ )?(drunk|tipsy|wasted|spaced out|out of it)\b",
    r"\b(stumbling|staggering|uncoordinated|off balance|cant walk straight)\b|\b(is|am|are|really|very|so|gone|getting) clumsy\b",
    r"\blegs? (are |is |have gone |has gone |feel |feels |gone |went )?(all )?wobbly\b|\bwobbly (legs|on (his|her|my|their) feet)\b",
    r"(?<!no )\b(dizz\w*|dizy|vertigo|spinning|room (is )?spin\w*|lightheaded|light-headed|faint\w*)\b",
    r"\b(vomit\w*|vommit\w*|throw\w* up|puking|nause\w*)\b",
    r"\b(marbled|mottled|blotch\w*|purple (skin|patches|blotches)|skin (rash|itch\w*))\b|\brash\b(?! ?(guard|vest|top|shirt|suit))",
    # Skin that changed colour in patches: "red-blue patches on my shoulders".
    r"\b(red|purple|blue|reddish|bluish|purplish)(-| and | )?(blue|purple|red)? (patch(es)?|blotch(es)?|mottling|marbling)\b",
    r"\b(blurr\w*|double vision|seeing (double|two of everything)|tunnel vision|lost (my|his|her) vision|cant see properly|vision (has )?(gone|is|went) \w+|patchy vision|(went|gone|going) blind|(lost|losing) (part of )?(my|his|her) (vision|sight)|blind spot|curtain over)",
    r"\b(hearing loss|lost (my|his|her )?hearing|hearing (went|is|has gone) (muffled|funny|weird|strange|dull|blocked)|cant hear anything|ringing in|loud ringing|roaring in|deaf)\b",
    r"\b(worst|severe|terrible|really bad|very bad|splitting|pounding|throbbing|massive|awful|horrible|intense|brutal|crushing|blinding|killer) headache\b|\bhead (really |is )?(hurts|pounding|splitting)\b"
    r"|\bhead (is |feels like (it is |its )?)?(exploding|(going|about) to explode)\b",
    r"\bcant stop (shaking|shivering|trembling|coughing)\b|\b(shaking|shivering|trembling) (badly|uncontrollably|violently)\b",
    r"\b(very|extremely|really) (pale|tired|exhausted|fatigued)\b|\bexhausted\b",
    r"\b(i|he|she|we|they) (think|thinks|might|may|could|must)( be| have| has| have got| got)? (bent|dcs|the bends|decompression sickness|an? embolism)\b",
    r"\b(i|he|she) (am|is|feel|feels|got) bent\b",
    r"\bblood (from|in|out of|coming out of) (my|his|her|the) (ears?|nose|mask)\b|\b(ears?|nose) (is |are |keeps |wont stop |started |began |has been |have been )?bleeding\b|\bnose ?bleed\w*\b[^.?!]{0,40}\b(pain|hurts?|wont stop|keeps|deaf|cant hear)\b",
    r"\b(panicking|panicked|hyperventilat\w*)\b",
    # Low on air is a sign in the water now, and a habit when it happens "always".
    r"\b(low on air|low air|air is low|running low on air)\b",
    # So is a gauge near empty: "40 bar at 20m" now, "I always finish with 50 bar" a habit.
    r"\b[0-9]{1,2} bar\b(?! even)",
    r"\b(stung|sting|bitten|bite|spined?|spines)\b[^.?!]{0,60}\b(swell\w*|agony|excruciating|unbearable)\b",
)

# Right after a dive, in the diver's own words.
AFTER_DIVE = any_of(
    r"\b(after|since|from) (the |my |our |his |her |this |that |today'?s |todays |last |second "
    r"|third |first |a |each )?(\w+ )?(dive|dives|diving|ascen\w*|descen\w*|surfac\w*|snorkel\w*|freediv\w*)\b",
    r"\b(surfaced|came up|come up|got out of the water|shot up|ascended)\b",
    # New since the dive: "patches that weren't there before we went in".
    r"\b(wasn'?t|weren'?t|was not|were not|isnt|arent) there (before|this morning|earlier)\b",
)
# Unmistakably now: outweighs a mention of the past ("I had DCS once, and now ...").
NOW_PATTERNS = (
    # "Now I want to learn" turns from a story to a plan; it does not place a sign now.
    r"(?<![0-9] )\bnow\b(?! (i|we|he|she|they) (want|wants|wanna|would|plan|plans|am planning|hope|hopes|wonder|am thinking|am \d+|always|usually|never))"
    r"(?! (i am|he is|she is|they are|we are) (scared|afraid|worried|nervous|anxious|terrified|too scared))",
    r"\b(currently|right now|suddenly|getting worse|worse and worse|at the moment)\b",
    r"\b(this is real|for real|(its|it is) real|(really|actually) happening|happening (right )?now)\b",
    r"\b(today'?s?|tonight|this (morning|afternoon|evening))\b",
    # "After 40 minutes" tells how long something took, not when it is.
    r"(?<!after )\b\d+ ?(min|mins|minutes?|hours?|hrs?)( ago| now)?\b|\b(an|one|half an?) hour( ago)?\b",
    # Help called for, not help in general ("until help arrives", "help me choose").
    r"\bjust (surfaced|came up|got out|finished|did)\b|\b(urgent|asap|sos)\b|!!",
    r"(?<!until )(?<!till )(?<!before )(?<!while )(?<!for )(?<!to )(?<!guard )(?<!would )(?<!does )(?<!it )\bhelp\b(?!\s*\?)(?! (me |us |you )?(choose|pick|find|plan|decide|understand|book|learn|pack|figure|with|arrives|comes|gets|an?\b))",
)
NOW = any_of(*NOW_PATTERNS)
# How long something lasted, told in a story: "went missing for 40 minutes" places nothing now.
DURATION = re.compile(
    r"\b(for|lasted|lasting) (about |around |maybe |almost |nearly |over |under )?(\d+|a few|a couple of) "
    r"?(min|mins|minutes?|hours?|hrs?)\b"
    # A time relative to something else, not to now: "an hour after a dive", "20 min later".
    r"|\b(\d+|an|one|half an|a few|a couple of) ?(min|mins|minutes?|hours?|hrs?) (after|later|into)\b"
)
# Places the problem now or after a dive (a looser test than NOW).
RECENT = any_of(
    *NOW_PATTERNS,
    AFTER_DIVE.pattern,
    r"\b(just|right) after\b|\bstill\b",
    r"\b(back on (the )?boat|on the (boat|beach|deck|shore|dock))\b",
    r"\b(emergency|911|999|112)\b",
    # First aid under way: it is happening now.
    r"\b(oxygen|o2) (is |has been )?(on|running|going|given)\b|\bon (the|their|its) way\b",
    r"\b(is|are|am) lying (down|flat)\b|\b(ambulance|paramedics?|medics|coast ?guard) (is |are )?(coming|called)\b",
    r"\bwhat (do|should|can) (i|we) do\b(?! if)",
    r"\b(is|am|are) (vomit\w*|throwing|shaking|coughing|confused|slurring|dizzy|numb|weak|pale)\b",
    r"\b(i|he|she|we|they) (feel|feels|have|has|keep|keeps)\b",
    r"\bmy (arm|leg|legs|hand|hands|fingers?|feet|foot|toes|face|shoulder|knee|elbow|back|skin|vision|chest|head|ear|ears)\b",
)
# Planning ahead ("can he do a discover scuba next month?") is not a report of now.
FUTURE = any_of(
    r"\b(next (week|month|year|trip|time|season)|tomorrow|upcoming|before my trip|planning|plan to|in a (few )?(days|weeks)|"
    r"in \d+ (days|weeks))\b"
)

# A condition said in so many words: whatever tense follows, nothing is reported by it.
CONDITION_PATTERNS = (
    r"\bwhat if\b|\bsuppose\w*\b|\bimagine\b|\bhypothetic\w*\b|\bin case( of)?\b|\bin the event\b|\blet'?s say\b",
    r"^\s*(if|when) (i|you|someone|a diver|my|your|the|one)\b",
    # Said another way: "what happens if", "say my wife starts slurring", "were I
    # to get bitten", "should my kid ever get numb legs".
    r"\bwhat happens (to (\w+ ){1,2})?(if|when)\b|^\s*(say|assume|assuming|lets say|let us say)\b"
    r"|[.?!;]\s*(say|suppose|assume|assuming|lets say|let us say) (i|we|you|he|she|they|my|your|a|someone)\b",
    r"^\s*were (i|we|you|he|she|they|my \w+|a \w+) to\b|^\s*should (i|we|you|he|she|they|my|your|a|the|someone|one|any)\b[^.?!]{0,30}\bever\b",
    r"\b(if|should|when) (\w+ ){1,3}ever (get|gets|start|starts|go|goes|become|becomes|feel|feels|have|has|be)\b",
    # A condition opening a clause: "my kids are 8 and 11, if one of them swallows water".
    r"(^|[,.;:!?-]\s*|\b(and|but|so) )(if|should(?! (i|we|you|he|she|they) (get|start|go)\b)) (\w+ ){0,3}(gets?|starts?|swallows?|feels?|becomes?|ends? up|"
    r"faints?|collapses?|passes out|goes (under|missing|unconscious))\b",
)
CONDITION = any_of(*CONDITION_PATTERNS)
# "What should I do if …" and "what to do when …": the words of a condition asked about.
WHAT_ONE_SHOULD_DO = (
    r"\bwhat (should|do|would|can|must) (i|we|you|one|a diver|the buddy|a buddy|rescuers?) do"
)
WHAT_TO_DO_IF = r"\bwhat to do (if|when|in case)\b"
# What to do if, asked in so many words: "what should I do if my buddy can't feel his legs?".
CONDITION_ASKED = any_of(
    WHAT_ONE_SHOULD_DO + r" (if|when|in case)\b", WHAT_TO_DO_IF, *CONDITION_PATTERNS
)
# Framings that make it knowledge, fiction, training, the past or a habit.
HYPOTHETICAL = any_of(
    WHAT_ONE_SHOULD_DO + r" (if|when)\b",
    WHAT_TO_DO_IF
    + r"|\bhow (do|should|would) (you|i|we|one) (bring|help|treat|handle|rescue|respond)\b",
    r"\bhow to (help|treat|rescue|bring|handle|respond|recogni[sz]e|deal with|tow|carry|assist)\b|^\s*if\b",
    r"\bhow (to|do (i|we|you)|can (i|we|you)) (avoid|prevent|reduce|minimi[sz]e|stop)\b",
    r"\b(panic|worried|scared|afraid|nervous|anxious|terrified|stressed) (that )?(if|when|that|about)\b",
    # A fear, not a report: "my daughter is 8 and scared of drowning".
    r"\b(scared|afraid|terrified|frightened|fear|fears|phobia|nervous|anxious|worried) of\b",
    # Wondering what one would do: "what I'd do if she passed out", "what would happen if".
    r"\bwhat (i|we|you|one|they|he|she)('d| would| should| could| can| might) (actually |even |really )?do (if|when|in case)\b"
    r"|\bwhat (would|will|could|might) happen (to (\w+ ){1,2})?(if|when)\b",
    r"\b(would|will|could) (it|that|this) be (an emergency|serious|bad|dangerous|dcs)\b[^.?!]{0,10}\bif\b",
    r"\b(does|do|will|would) (the |my |your )?(insurance|policy|dan) cover\b",
    r"\b(procedures?|protocols?)\b|\b(what'?s|what is|whats) the (plan|drill|right thing|best thing)\b[^.?!]{0,15}\b(if|when|in case)\b",
    # Asked ahead of time: "is a 3mm enough or will I get hypothermic in 26 degree water?".
    r"\b(will|would) (i|we|you|he|she|they|my \w+) (get|become|go|end up)\b[^.!]*\?",
    *CONDITION_PATTERNS,
)
# Training, fiction and procedure: never a report of a real casualty, whatever the tense.
NOT_REAL = any_of(
    r"\b(we|i|they|to) practi[cs]e\b|\b(made|make|makes|had|have|let|lets) (us|them|me|you|the students?|the class) practi[cs]e\b|\b(scenario|drill|simulat\w*|faked|faking|staged|acted out|role ?play|practi[cs]ed|practi[cs]ing|practi[cs]es|the ['\"]?victim['\"]?|dummy|mannequin)\b",
    r"\b(story|stories|novel|fictional|character|movie|film|script|documentary|podcast|netflix|cartoon|anime|sitcom|"
    r"tv (show|series|programme|program)|(a|the|that|this) show (where|about|with|had|in which))\b",
    # Heard of, not seen: "heard about someone who got hit by a propeller".
    r"\b(heard|read) (about|of|a story)\b",
    # A skill of a course, named: "the 'unconscious diver from depth' skill", "practice for my
    # DM course", "for my divemaster skills".
    r"\b(practice|practise) (for|run|session|of)\b|\b(for|in|during) (my|the|our|a) (dm|divemaster|rescue|idc|instructor|efr|"
    r"first aid) (course|skills?|training|exam|candidacy|internship)\b|\b(dm|divemaster|instructor) (candidate|trainee|intern)\b",
    # A course about it: "a kids first aid course about drowning".
    r"\b(course|class|lesson|lecture|module|chapter|seminar|workshop) (about|on|covering) \w+",
    r"\b(in my|had a|have a|a bad|a weird|a strange) dream\b|\bdreamt\b|\bdreamed\b|\bnightmares?\b",
    # A dream told in texting ("weird dream shark bite", "keep dreaming I cant breathe"); not a
    # dream trip, site or holiday, nor dreaming of one.
    # ("Feel like I'm in a dream" is a sign: dazed.)
    r"(?<!in a )(?<!like a )\b(dream|dreams|dreaming)\b(?! (dive|dives|diving|trip|destination|holiday|vacation|site|spot|job|liveaboard|"
    r"come true|of|about (diving|going|a|the|visiting|seeing)))",
    r"\b(exercise|pretend\w*|knowledge review|textbook|exam (question|asked)|the exam|studying for|quiz|revising|revision|homework)\b",
    r"\b(on (a|the) forum|on reddit|article|news|headlines?|tv report|told me about|blog|vlog|youtube|instagram|tiktok|footage)\b",
    r"\b(in|on|for) (the|my|a|our) (\w+ )?(diver |diving )?(exam|test|quiz|knowledge review)\b",
    # Said in jest, and said so.
    r"(?<!not )(?<!no )\b(just kidding|only kidding|just joking|only joking|jk|kidding)\b|\b(joked|jokes|joking|teased|teasing) (that|about)\b",
    # A sign in quotes is a role ('unconscious' diver), and so is playing the casualty.
    r"['\"](\w+ )?(unconscious|unresponsive|injured|drowning|missing|panick\w*|bent|casualty|victim|dead)( \w+){0,3}['\"]",
    r"\b(play|plays|played|playing) (the |an? )?(casualty|victim|patient|unconscious|injured|panick\w*|missing|captain|skipper|rescuer)\b",
    # A game or a song (a clip: WATCHED; a post: RELAYED).
    r"\b(video ?game|in the game|in game|my character|(the|a|this|that) song|lyrics?|sings?|singing|the chorus)\b",
)
# Read or watched, not seen: "saw a clip of a diver passing out". A clause of its own that
# reports a sign now is no part of the clip ("watched a video about DCS, now my arm is numb").
WATCHED = any_of(
    r"\b(watch\w*|saw|seen|viewed|read|reading) (a|the|this|that|some|his|her|their) (\w+ )?(post|thread|reel|clip|video|vid)\b"
    r"|\b(post|thread|reel|clip|video|vid) (of|where|about|showing|in which)\b"
    r"|^\s*(video|vid|clip|reel)\b|\b(reviewing|rewatching|watching|went through) (the|my|our|his|her) (\w+ )?(gopro|footage|video|clip)\b"
)
# Passed on from elsewhere: a group post. It frames a sign unless it reports one now ("my
# buddy posted in our chat that he's got a crushing headache after the dive").
RELAYED = any_of(
    r"\b(posted|reposted|shared) (that|a|about|on|in|this)\b|\b(facebook|fb|whatsapp|telegram|discord) (dive )?(group|chat|post)\b"
)
EDUCATIONAL = any_of(
    # Anyone at all: "is it normal for someone to feel tingling after diving?".
    r"^\s*(is|are) (it|this|that) (normal|common|usual|ok|okay|typical) for (someone|somebody|a diver|divers|people|anyone|you|one)\b",
    # A casualty with "a" in a question: "how do you help a panicking diver at the surface?",
    # "in a lost buddy situation, how long do you search?". No one is there now.
    r"^(?![^?]*\b(there is|there'?s|we have|we'?ve got|i have|found|next to|near me|with me|now|who|whos|that is|thats|our|my|us|we|here)\b)"
    r"\s*(how|what|when|which|why|should|do|does|can|could|is|are|in)\b[^.!?]*\b(an?) (\w+ )?(unconscious|unresponsive|injured|"
    r"panick\w*|tired|exhausted|drowning|missing|bent|lost|non-?breathing)( \w+)? (diver|buddy|person|swimmer|snorkell?er|"
    r"student|casualty|situation)\b[^.!]*\?\s*$",
    r"\b(showed|taught|teach(es)?|explained|learned|learnt) (us |me |you |them )?(how|what|when)\b",
    r"\b(what|which) (are|is) (the )?(symptoms?|signs?|causes?|treatments?|first aid)\b",
    r"(?<!no )\b(symptoms?|signs?) of\b",
    r"^\s*(is|are|can|could|does|do|how|why|what) [^?]{0,60}\b(a sign|signs?|symptoms?|caused?|cause|treated|treatment|feel like|happen|appear|mean)\b",
    r"\bhow (do|can|would) (you|i|we|one) (know|tell|recogni[sz]e)\b",
    # Anyone at all, not someone here: "how do you get an unconscious diver onto a RIB?",
    # "is CPR different for a drowning victim?".
    r"\bhow (do|should|would|can|could) (you|one|i|we) (get|move|lift|carry|tow|position|bring|take|treat|"
    r"help|handle|manage|ventilate|support|rescue) (an?) ",
    r"\b(for|with|of|to|on) (an?) (\w+ )?(victim|casualty|patient)\b",
    # What a course teaches: "our instructor said to never ...", "the rescue class asked us".
    r"\b(instructor|teacher|trainer|course|class|manual|book|textbook)\b[^.?!]{0,20}\b(said|says|told us|taught|asked (us|me)|quizzed)\b",
    r"\bhow (is|are) \w+ (treated|diagnosed)\b|\bwhy does\b|\bwhat causes\b|\bexplain\b",
    r"\bshould (a|the) (rescue diver|buddy|rescuer)\b",
    r"^\s*(is|are|how) [^?]{0,40}\b(common|normal among|rare|likely|usual|frequent|serious|dangerous)\b(?! (for me|now))",
    r"^\s*how (likely|common|often|rare|dangerous|serious)\b",
    # Anyone at all: "how long can someone be unconscious underwater and still be revived?".
    r"^\s*how (long|much|many|deep|far|fast|quickly|soon) (can|could|does|do|would|should|will|is|are) "
    r"(someone|somebody|a person|a diver|people|you|one|humans?|a body)\b",
    r"\bhow (often|common|likely|rare) (does|do|is|are|can)\b",
    r"\b(difference between|why do (some )?people|what is the reason|reason (for|of) it)\b",
    r"\bis (that|it|this) (even |really |actually )?(possible|a thing|real)\b",
    r"\bhow (quickly|fast|soon|long) (does|do|can|will|would) (\w+ ){1,2}(set in|develop|start|show up|appear|kick in|occur)\b",
    # A condition named as a topic, then asked about: "hypothermia in warm water, is that ...".
    r"^\s*(hypotherm\w*|dcs|the bends|bends|drowning|near drowning|seizures?|embolism|narcosis|"
    r"barotrauma|oxygen toxicity|o2 toxicity|panic|vertigo|fainting|shark bites?)\b[^.?!,:]{0,50}"
    r"[,:]\s*(is|are|can|could|does|do|how|why|what|when)\b",
    r"\bhow does \w+ (progress|develop|work)\b|\bstages\b|\bmy exam\b|\bcorrect answer\b",
    # Asked to learn: "in general, what does marbled skin mean physiologically?", "just wanna learn".
    r"^\s*in general\b|\bphysiologically\b|\b(just|only) ((want|wanted|trying) to|wanna) (learn|know|understand)\b"
    r"|\bout of curiosity\b|\bjust curious\b",
    # A word talked about: "what's the 'tingle' people talk about with nitrox?".
    r"\b(people|divers|everyone|instructors|they) (talk|talking|speak|speaking) about\b|\bwhat (people|divers) (call|mean)\b",
)
PAST = any_of(
    r"\b(\d+|a|one|two|three|four|five|few|several|many|couple of) (years?|yrs?|months?|weeks?) ago\b",
    r"\bin (\d+|a few|many|several|two|three|five|ten) (years?|months?)\b",
    r"\blast (year|month|week|summer|winter|season|trip|holiday)\b",
    r"\bin (the )?(\d0'?s|'\d0s|(19|20)\d0'?s|seventies|eighties|nineties)\b|\b(back )?in (19|20)\d\d\b|\bwhen i was (a kid|young|little|\d+)\b",
    r"\bonce\b|\bused to\b|\bhistory of\b|\bin the past\b|\bpreviously\b|\byears (ago|back)\b|\bfew years back\b",
    r"\blast (autumn|spring|fall|weekend|time)\b",
    # (Not a person known from then: "my friend from back in uni is here with us".)
    r"(?<!from )\bback (in|at) (uni|university|college|school|high school|the day)\b|\bin my (\w+ )?(days|twenties|thirties)\b",
    r"\b(fully )?recovered\b|\bwent away\b|\b(is|am|are|was|were|seems?|feels?) (fine|ok|okay|alright|good) now\b",
    r"\b(everyone|everybody|we|all) (is |are |were )?(fine|ok|okay|safe)\b|\bsurfaced (normally|fine|ok|safely)\b|\bascended normally\b",
    r"\b(had|got) (dcs|the bends|bends|bent|an? (embolism|injury))\b(?! (now|today))",
    r"\bin (january|february|march|april|may|june|july|august|september|october|november|december)\b",
    r"\b(a few|couple of|two|three|several) (days|weeks) (back|ago)\b|\bthe first time i\b|\bas a (kid|child|teenager)\b",
    r"\b(if|whether|have|has)\b[^.?!]{0,12}\bever (had|been|suffered|experienced)\b|\bwhen i was (a )?(teenager|teen|student|baby|boy|girl|at school|in school)\b",
)
# Feared, then explained: "I thought he'd gone missing lol, turns out he was taking photos".
# Gone, explained so, is over after all.
# (Only where it turned out they were somewhere or doing something, or it was nothing: "turns
# out he was bitten by a sea snake" explains nothing away.)
TURNED_OUT = any_of(
    r"\bturn(ed|s) out (he|she|they|we|i) (was|were|had been|is|are) (just |only |still |already )?"
    r"(at|behind|on|in|inside|under|by|with|taking|looking|hiding|chatting|shooting|fine|ok|okay|safe|back)\b"
    r"|\bturn(ed|s) out (it|that) (was|is) (just |only )?(nothing|fine|a false alarm|someone else)\b"
)
# It happened and it has passed: checked, explained, gone.
RESOLVED = any_of(
    r"(?<!wont )(?<!not )(?<!never )(?<!doesnt )(?<!didnt )\b(went|gone|go) away\b|\b(swelling|it) (has |is )?(gone|went) down\b|\b(passed|stopped|settled) (after|on its own|by itself|within)\b",
    r"\b(is |was |it'?s |its )?gone (now|completely|within)\b|\b(was|is|it'?s) gone\b|\bruled out\b|\bnothing serious\b|\bhealed\b",
    r"\b(doctor|doc|gp|ent|nurse|medic|physician|specialist)\b[^.?!]{0,60}\b(says?|said|told)\b[^.?!]{0,30}\b(is|was|are|am|'s) (fine|ok|okay|normal|intact|healthy|clear|fit)\b",
    r"\b(cleared|passed) (me|him|her|them) (fit )?(to|for) (dive|diving)\b|\b(signed|declared) (me|him|her) fit\b",
    r"\b(stopped|cleared|eased|went) (right away|straight away|at once|immediately)\b",
    r"(?<!not )\b(fine|better|normal|healed) now\b(?! (he|she|i|my|but|his|her))",
    r"\b(felt|feel|feels) (fine|ok|okay|normal) (again )?(a few |a couple of )?(seconds|minutes|a minute|a moment) (later|after)\b",
    r"(?<!says he )(?<!says she )(?<!said he )(?<!said she )(?<!says i )\b(is|am|are) (fine|ok|okay) and\b|\b(totally|completely|perfectly) fine\b|\bin a good way\b|\bhaha\b",
    r"\b(said|says) (it'?s|its|it was|he'?s|she'?s) (just |probably |only )?(a |an |the |his |her |my )?(sea|motion|low|old|bruised|cold|tight|harmless|fine|normal|nothing|sinus|seasick)",
    r"\b(feel|feels|felt|is|am|are) (totally |completely |perfectly )?(fine|normal|ok|okay|good) (now|since|again|for hours)\b|\ball (normal|good|fine)\b",
    r"\b(not (diving|dive) related|not related to diving|hadnt dived|havent dived( yet)?|before any diving)\b",
    # Laughed off afterwards; while it goes on, laughing it off is the casualty's own
    # bravado and no verdict ("she's laughing it off and her wrists still ache").
    r"\blaugh(s|ed)? (it off|about it)\b",
    # Nobody came to harm: a mishap told afterwards.
    r"\b(nobody|no ?one|none of us)( was| were| got)? (hurt|injured|harmed)\b|\bno (harm done|injuries|drama)\b",
    r"\b(dried up|cleared up|calmed down|eased off|settled down) (within|after|in)\b|\b(he|she|they|i|we) (calmed|settled) down\b",
    r"\b(nothing|no (symptoms?|problems?|issues?|pain)) since\b|\b(fixed|sorted|cured) it\b",
    r"\b(hearing|vision|sight|it|everything|breathing) (is|was|'s) (back to )?normal\b",
    r"\b(doctor|doc|gp|nurse|medic|clinic|physician)\b[^.?!]{0,40}\b(said|says|diagnosed|thinks)\b[^.?!]{0,10}"
    r"\b(motion sick\w*|sea ?sick\w*|a cold|sinusitis|an? (allergy|infection|sprain|strain|virus))\b",
    # The boat or the missing came back, and the sentence ends there.
    r"\b(they|he|she|it|the boat) came back( for| to get)?( us| me| him| her| them)?( after [^.,;!?]+)?\s*([.,;!]|$)",
    # A sign that ended: "then cleared completely", "the redness has faded", "it wore off".
    # (Not "then passed out", "then stopped breathing", "and disappeared": those are signs.)
    r"\b(then|soon|quickly) (it |that |they )?(cleared|faded|subsided|eased|wore off|went away|settled|resolved)\b",
    r"\b(it|that|pain|numbness|tingl\w*|rash|redness|swelling|headache|dizziness|nausea|symptoms?|feeling)"
    r"( has| have| had| is| was| are| were)? (\w+ )?(faded|subsided|eased off|worn off|wore off|resolved|cleared up)\b",
    r"\b(cleared|faded|subsided|wore off|resolved) (completely|fully|entirely|totally|on its own|by itself|"
    r"by (the )?(evening|morning|night|lunch|dinner|afternoon))\b",
    r"\b(i|he|she|they|we)( have|'ve| has|'s| had) been (totally |completely |perfectly )?(fine|ok|okay|normal|good|great) "
    r"(all|since|ever|for)\b",
    # Back to ordinary life: "now he's laughing and eating lunch", "back building sandcastles".
    r"\bnow (he|she|they|i|we) (is|are|am) (laughing|joking|eating|chatting|watching|reading|playing)\b"
    r"|\b(he|she|they|i|we) (is|are|am) (back )?(laughing|joking|eating|chatting|watching|reading|playing)\b"
    r"[^.?!,]{0,20}\b(now|again)\b",
    r"\b(fine|ok|okay|normal|good|better) (ever )?since (landing|then|we landed|i landed|the flight|last night|this morning)\b",
    r"\b(pain|ache|numbness|tingling|dizziness|headache|bleeding) (is |was |'?s )?(gone|over)\b"
    r"|\b(dove|dived|did|finished) the rest( of the dive)? (fine|ok|okay|normally|without)\b",
    r"\b(fine|ok|okay|good|normal|great) (for|during) the rest of\b|\b(warm|warms|warmed) (back )?up (again|right after|after|quickly|once)\b",
    r"\b(it|that|this) (passed|cleared|eased|settled)\b\s*([.,;!]|$)",
    # Found again: "we both surfaced as planned and met at the boat".
    r"\b(both|all|everyone|we all|we both) (of us )?(surfaced|came up|got back|made it back|met up)\b(?! (alone|without))"
    r"|\bmet (up )?(again )?(at|on) the (boat|surface|line|buoy|mooring|anchor)\b|\bas planned\b",
    r"\b(slept|shook|walked|sweated) it off\b|\bwoke up (feeling )?(fine|ok|okay|normal|good|great|better)\b",
    r"\b(is|are|am|was|were) back (building|playing|swimming|snorkel\w*|laughing|eating|at (the )?(bar|pool|beach))\b",
    # Seen by someone qualified and let go: confirmed, discharged, sent home, nothing needed.
    r"\b(doctor|doc|gp|ent|nurse|medics?|paramedics?|physician|clinic|hospital|chamber|er|a&e)\b[^.?!]{0,60}"
    r"\b(confirmed|discharged|sent (him|her|me|them|us) (home|away|back))\b|\b(got |been |was |were )?discharged\b",
    r"\bno (treatment|recompression|chamber|further treatment) (was |is )?(needed|required|necessary)\b",
    # Found and well: "found him at the anchor line, he was fine, just a scare".
    r"\bfound (him|her|them|my buddy|our buddy)\b[^.?!]{0,60}\b(fine|ok|okay|safe|unhurt|well)\b|\bjust a scare\b",
    TURNED_OUT.pattern,
    # Back again straight away: "left without us for a minute but came back right away".
    r"\bcame back (right|straight) away\b|\b(all|everyone|everybody) (is |are )?(aboard|on board|back on (the )?boat)\b",
    r"\b(passed|cleared|went|stopped|eased) (in|after|within) (a|one|a few|two|a couple of) (seconds?|moments?|minutes?)\b",
    r"\b(recovered|recovering) (fully|completely|well)\b|\bmade a full recovery\b",
    r"\b(not|no longer) (bleeding|swelling|itching|stinging) (anymore|any more)\b|\bno longer (bleeding|swelling)\b",
    r"\b(breathing|acting|behaving) (normally|fine|normal)\b[^.?!]{0,20}\b(now|since|again|for (the last|an|\d+))\b",
)
# Looking back on what went wrong, to learn from it: a debrief, not a call for help.
DEBRIEF = any_of(
    r"\bwhat (did|could|should) (i|we|he|she|they) (have )?(do|done) (wrong|differently|better)\b",
    r"\b(lessons? learned|incident report|debrief)\b",
)
# Looking after equipment: how to fix, service or replace it. Like a debrief, it frames away
# a symptom and the learned detector's reading of "free flow" or "flooded"; a critical sign
# (out of air, unconscious) outweighs both.
GEAR_CARE = any_of(
    r"\b(replace|service|repair|fix)( it| them| this| that)?\s*\?",
    r"\b(camera|housing|strobe|torch|light|computer|battery|phone|gopro|laptop)\b[^.?!]{0,30}"
    r"\b(is |was |went |got )?(dead|died|flooded|drowned)\b",
    r"\bhow (do|can|should|would|to) (i|we|you)? ?(fix|repair|service|unstick|replace|dry( out)?|clean)\b",
    r"\b(warranty|worth (fixing|repairing|servicing)|get (it|them|mine) (serviced|repaired|fixed))\b",
)
# A question that names no one ("can nitrogen narcosis cause tunnel vision?") asks about
# diving, not about a casualty: every report of an emergency has someone in it.
QUESTION_OPENING = any_of(
    r"^\s*(is|are|can|could|does|do|did|should|would|will|how|why|what|which|when|where|who)\b",
    r"^\s*(and |or )?(at|from|in|by|to|for|with|under|above|below|past) (what|which|how)\b",
)
SOMEONE = any_of(
    r"\b(i|me|my|mine|myself|we|us|our|he|him|his|she|her|they|them|their|someone|somebody)\b",
    rf"\b{PEOPLE}\b(?<!divers)(?<!\ba diver)|\b(mate|hubby|kids|buddies)\b",
)
# Settled: someone qualified has seen it and given a verdict, it turned out to be something
# else, the pain has gone. Used to hold back the learned detector only (which reads a whole
# story about a symptom as the symptom), never the rules: "I'm fine, but my buddy is numb"
# must still reach them. The casualty's own "I'm fine" is no verdict ("he says he's fine").
SETTLED = any_of(
    r"\b(doctor|doc|nurse|paramedics?|medics?|clinic|dentist|ent|gp|lifeguard|hospital|chamber)\b"
    r"[^.?!]{0,40}\b(said|says|checked|looked at|examined|found|gave|prescribed|fixed|cleared|ruled|removed|took (it|them) out)\b",
    r"\bturn(ed|s) out\b|\bpanic over\b",
    r"(?<!says )(?<!said )(?<!if )(?<!insists )(?<!claims )\b(he|she|they|i|we|everyone|everybody)"
    r"('s| is| are| am| feels?| seems?) (fine|ok|okay|good|100 ?%|normal|all good)\b",
    r"\b(pain|it|that|swelling|bleeding) (is |was |'?s )?(gone|over|stopped)\b",
    r"\blaugh(s|ed|ing)? (it off|about it)\b|\b(is|are) (snorkel\w*|diving|swimming|playing) again\b",
    r"\b(doesnt|no longer) (hurt|itch|sting|bother)\w*\b(?!\W+but)",
)
# Texting drops the pronoun: "is weakness in one leg after a dive an emergency? cant lift it"
# names no one but reports a leg. A clause after the opening question that tells of a sign,
# or of something that started, hurts or will not stop, makes the message a report.
SENTENCE = re.compile(r"[^.?!]+[.?!]*")
CLAUSE_BREAK = re.compile(r"[;,:]|\s[-–]\s")
TELLS_OF_IT = any_of(
    r"\b(started|starting|began|begun|since|getting (worse|better)|hurts?|hurting|aches?|aching|"
    r"cant|wont|keeps?|still|worse)\b"
)
# "How bad is it if vision is blurry in one eye?": asking how worried to be about something
# that is happening, in the idiom of a worried texter, not a general question.
HOW_WORRIED = any_of(
    r"^\s*(how (bad|serious|worried)|is (it|this|that) (bad|serious|dangerous|an emergency))\b"
    r"(?! (for you|for divers|in general))"
)


def names_a_sign(text: str) -> bool:
    """Does the (folded) text name a critical sign or a symptom the rules know?"""
    return bool(CRITICAL.search(text) or SYMPTOM.search(text))


def clauses(text: str) -> list[tuple[str, bool]]:
    """The clauses of a (folded) message, each with whether its sentence ends in a "?"."""
    # An ellipsis is a pause ("numbness in... my knowledge of deco"), not the end of a sentence.
    found = []
    for sentence in SENTENCE.findall(re.sub(r"\.{2,}|…", " ", text)):
        asked = sentence.rstrip().endswith("?")
        for clause in CLAUSE_BREAK.split(sentence.rstrip(" .?!")):
            if clause.strip():
                found.append((clause.strip(), asked))
    return found


def tells_of_it(text: str) -> bool:
    """Does a clause after the opening one tell of a sign, or of how it began or goes on?"""
    return any(
        not QUESTION_OPENING.search(clause) and (TELLS_OF_IT.search(clause) or names_a_sign(clause))
        for clause, _ in clauses(text)[1:]
    )


def names_no_one(text: str) -> bool:
    """A question about a sign with no one in it, placed at no time, telling of nothing."""
    return bool(
        QUESTION_OPENING.search(text)
        and not SOMEONE.search(text)
        and not NOW.search(text)
        and not tells_of_it(text)
        and not HOW_WORRIED.search(text)
    )


# "I always get a bit of a headache, but this time it's the worst of my life": what follows a
# "but" is told apart from the habit before it.
CONTRAST = re.compile(r"\b(?:but|except|however|only this time)\b")
# (What follows the contrast needs no one named in it: "but this time there's blood".)


def tells_of_a_sign(text: str) -> bool:
    """A sign named, and not in a question, a condition or a hypothetical."""
    return (
        names_a_sign(text)
        and not HYPOTHETICAL.search(text)
        and not EDUCATIONAL.search(text)
        and not re.search(r"\b(if|whether)\b|\?", text)
    )


def said_with_a_sign(pattern: re.Pattern, text: str) -> bool:
    """Is `pattern` found, with no other sentence reporting someone in trouble?

    "I always dive nitrox. My arm is numb since the dive": the habit is of another sentence
    and does not frame the numb arm; "is tingling normal? it happens every dive" it does.
    """
    if not pattern.search(text):
        return False
    return not any(
        reports_someone_in_trouble(part) or (contrasted and tells_of_a_sign(part))
        for sentence in SENTENCE.findall(text)
        for contrasted, part in enumerate(CONTRAST.split(sentence))
        if part and not pattern.search(part)
    )


def reports_someone_in_trouble(text: str, *, in_questions: bool = False) -> bool:
    """A statement that puts a sign on someone, with no "if" or question of its own.

    "How do you treat it, the guy on our boat has pink froth" asks how, then reports; "what is
    the correct answer: unresponsive diver, not breathing?" is all one question. A clause of a
    question that says what someone is or has now, and opens no question of its own, is a
    report too, `in_questions`: "my buddy is numb after the dive, what do we do if it gets
    worse?" asks a question of the hypothetical kind about a report.
    """
    return any(
        (
            not asked
            or (in_questions and PRESENT.search(clause) and not QUESTION_OPENING.search(clause))
        )
        and SOMEONE.search(clause)
        and names_a_sign(clause)
        and not HYPOTHETICAL.search(clause)
        and not EDUCATIONAL.search(clause)
        and not re.search(r"\b(if|when|whether)\b", clause)
        for clause, asked in clauses(text)
    )


# A child's age or a question of taking part ("my son is 11, can he do it too?"): whether
# someone may dive, not someone in trouble. It holds back the learned detector only, and
# only when the rules see no sign at all.
TAKING_PART = any_of(
    rf"\b{PEOPLE} (is|turns|turned|will be) \d{{1,2}}\b(?! (bar|m|metres|meters|minutes?|mins?|hours?))",
    r"\b(old enough|too young|too old|minimum age|age limit)\b|\b\d{1,2}[- ]?(year|yr)s?[- ]?old\b[^.!]*\?",
    r"\bcan (he|she|they|my \w+) (do|join|take|try|start|learn|come)\b",
)


# Whether someone may dive at all, asked with a condition from their history: "had a
# collapsed lung at 19, is diving off the table?", "epilepsy, seizure-free 5 years, can I
# get certified?". A medical question before diving, not a sign now.
FITNESS_QUESTION = any_of(
    r"\b(can|could|may|should|am) (i|he|she|we|they|my \w+) (still |ever |even )?(allowed to |able to )?"
    r"(dive|scuba|get certified|learn to dive|go diving|do (the|my|an?|open water) ?(\w+ )?(course|dive|diving|water))\b",
    r"\b(fit|cleared|allowed|medically ok) (to|for) (dive|diving|scuba)\b|\b(dive|diving) (medical|physician)\b",
    r"\b(diving|scuba) (is )?(completely |totally )?(off the table|out of the question|ruled out|a no ?go)\b",
    r"\bmedical (form|questionnaire|clearance|statement)\b|\b(get|getting) (back )?into diving\b",
)
MEDICAL_HISTORY = any_of(
    r"\bwhen i was (a kid|young|little|a teen\w*|\d+)\b|\bhistory of\b|\bdiagnosed\b|\b\w+-free\b|\b\w+ free for\b",
    r"\b(\d+|a few|several|many) (years?|months?) ago\b|\bin (19|20)\d\d\b|\bas a (kid|child|teen\w*)\b|\bsince (childhood|birth)\b",
    r"\b(on|no|off) (meds|medication)\b|\b(had|have had) (a |an )?[\w ]{0,20}\b(in|when|last|years)\b",
)
# A technique asked about: "ears hurt at 8m, frenzel or valsalva?".
TECHNIQUE_ASKED = any_of(
    r"\b(frenzel or valsalva|valsalva or frenzel|which (equali[sz]\w* )?(technique|method)|"
    r"how (do|can|should) i (better )?equali[sz]e|equali[sz]\w* (tips|technique|advice)|tips (for|on) equali[sz]\w*)\b"
)
EAR_INJURY = any_of(
    r"\b(bleed\w*|blood|deaf|cant hear|hearing|spinning|vertigo|vomit\w*|dizz\w*|ringing|burst|perforat\w*)\b"
)


def asks_about_fitness(text: str) -> bool:
    """A (folded) question whether someone may dive, over a condition from their history."""
    return bool(
        FITNESS_QUESTION.search(text)
        and MEDICAL_HISTORY.search(text)
        and not AFTER_DIVE.search(text)
        and not present_report(text)
    )


# Said for effect of someone asleep or drunk: "he's basically unconscious on the sofa lol".
FOR_EFFECT = any_of(
    r"\b(basically|practically|pretty much|virtually|totally|completely) (unconscious|dead|comatose|passed out)\b"
    r"[^.?!]{0,40}\b(lol|lmao|haha\w*|sofa|couch|bed|hammock|bar)\b"
)
# A part of the gear asked about, its fault named: "the reg keeps breathing wet, diaphragm issue?".
GEAR_ASKED = any_of(
    r"\b(reg|regulator|octo\w*|second stage|first stage|bcd?|inflator|hose|valve|diaphragm|computer|gauge|spg)\b"
    r"[^.?!]{0,60}\b(issue|problem|fault|faulty|broken|part|parts|service\w*|fix\w*|repair\w*|cause[sd]?|normal|worn)\b[^.!]*\?"
)
# Someone hurt by what the gear did: "I shot up from 20m".
BODY_AFTER_GEAR = any_of(
    r"\b(shot|bolted|rocketed|flew|went) up\b|\b(unconscious|not breathing|missing|bleeding|blood|hurt|injur\w*|panic\w*)\b"
)
# Figures of speech: drowning in paperwork, a head spinning with options.
FIGURATIVE = any_of(
    r"\b(unconscious|unaware)\W+of\b|\bdrowning (in|me)\b|\b(wallet|bank account|budget|credit card)s? (is |are )?(bleeding|dying|crying)\b|\b(totally|completely|so) (adrift|sinking|swept away)\b|\bswept away by\b",
    r"\b(head|brain)('s| is| was)? (spinning|reeling) (with|from|over) (all|so many|these|those|the)\b"
    r"|\b(head|brain)('s| is| was)? blacked out\b|\bjust thinking about\b|\bin love\b",
    r"\b(spinning|reeling) (with|from) (all )?(the |these |those )?(\w+ ){0,2}(options|choices|ideas|info\w*|prices|numbers)\b",
    # Confused by a choice, not in the head: "confused: Advanced Adventurer vs AOW", "confused
    # about the levels, which card gives which?". (Confused about where he is, or what day
    # it is, stays a sign.)
    r"\b(confused|confusing|confusion)( about| by| between| over| on| with|:)[^.?!]{0,60}\b(vs|versus|difference|"
    r"which (card|course|cert\w*|level|agency|is (better|best|right))|the (levels|courses|options|agencies|prices|rules|terms))\b"
    r"|\b(vs|versus|difference between)\b[^.?!]{0,60}\b(confused|confusing) (about|by)\b",
    # Something tiresome "gives me a seizure": the thing is a manual, a price, a queue.
    r"\b(give|gives|giving|gave) (me|him|her|us|you) (a |an )?(seizure|heart attack|stroke|aneurysm|panic attack)\b",
    r"\b(took|takes|take|taking) (my|his|her|our|your) breath away\b",
    # Lost on land, in jest: "lost buddy again... at the bar lol".
    r"\blost (my |our |the )?(buddy|friend|group|husband|wife)\b[^?!]{0,20}\bat the (bar|pub|party|restaurant|shops?|mall|market|buffet)\b",
    r"\b(feel|feels|felt|feeling|am|is) (\w+ )?numb (about|over) (?!an? |\d)|\bnumb (with shock|from the news)\b|\bemotionally numb\b",
    r"\bnumb\w* in\W+(my|his|her|our) (knowledge|understanding|brain)\b",
    r"\bbleeding (colou?r|air|gas|money|cash|points)\b|\bbreathtaking\b|\bjaw (dropped|drop)\b",
    r"\bleft (me|us) (speechless|gasping|breathless)\b|\bknees (went|go|going) weak\b",
    r"\b(brain|mind) (completely |totally )?(blacked out|went blank)\b",
    # A gadget "went unconscious": it died, and nobody is hurt.
    r"\b(torch|light|camera|computer|battery|phone|strobe|gopro) (went|is|was) (unconscious|dead|limp)\b",
    r"\bdrowning (my|your|our) (hair|sorrows|phone|plants|food|chips|fries|salad|coffee)\b",
    r"\b(account|wallet|budget|savings|bank|inbox|emails?|bills|desk|garden|plants)\b (is |are )?drowning\b",
    r"\bin the (best|nicest|most amazing) (way|sense)\b|\bthe good kind\b",
    # Worn out by reading or planning: "my brain went numb reading the nitrox tables", "my
    # head is spinning from trying to keep track of it all".
    r"\b(brain|head|mind)('s| is| was)? (went |gone |going |is )?(numb|spinning|fried|melting|reeling)\b[^.?!]{0,12}"
    r"\b(reading|trying|thinking|studying|learning|planning|keeping track|looking at|(all )?the (options|choices|prices|theory|tables|paperwork|admin|numbers|info\w*))\b",
    r"\b(faint\w*|died|dying|passed out|pass out|collapsed|cried|cant breathe?|cant breath\w*|choking|wheezing) (from|with|of) (laugh\w*|embarrassment|shame|"
    r"boredom|cuteness|happiness|joy|excitement|awe|delight|the beauty)\b",
)
# Still getting worse or back again: a resolved episode that is not resolved.
WORSENING = any_of(
    # "Should I still see a doctor?" asks about care, it tells of nothing still there.
    # "Both ok for now but getting tired" is not well: it is holding, for now.
    r"\b(worse|wont stop|keeps? (coming|getting)|but now|for now|getting (tired|weak\w*|cold\w*|exhausted))\b"
    r"|\bstill\b(?! (see|go|need|dive|diving|fly|flying|get|ok|okay|fine|safe|able|allowed|good|normal))",
    # "Try again tomorrow" is a plan, not a return of the pain.
    r"(?<!try )(?<!go )(?<!dive )(?<!diving )(?<!snorkel )(?<!snorkelling )(?<!snorkeling )"
    r"(?<!swimming )(?<!playing )(?<!laughing )(?<!eating )(?<!fine )(?<!normal )(?<!met )(?<!together )(?<!each other )(?<!happen )(?<!happens )(?<!happening )\bagain\b",
)
# "Hearing is gone", "the boat went away": gone is not always over.
# Said of a person ("everyone is gone", "my instructor is gone"), gone is missing, not over.
GONE_FOR_GOOD = any_of(
    rf"\b(hearing|vision|sight|view|feeling|strength|voice|balance|air|boat|tender|{PEOPLE[1:-1]}|"
    r"everyone|everybody|the group|the others)( is| has| was| had|'s| are| have)? (gone|went away|go away|goes away)\b",
    # Told from the water: "the boat left, it's gone, three of us in the water".
    r"\b(we are|i am|of us|they are|he is|she is|are|am|is|we|still) (\w+ )?(in the water|at sea|adrift|on the surface|"
    r"at the surface|floating|treading water|hanging on\w*|holding on\w*|clinging)\b",
)
HABITUAL = any_of(
    # "Every time I breathe in" ties a sign to a breath or a movement of this one episode
    # ("sharp pain in my chest every time I breathe in"), not to dives that recur.
    r"\b(always|usually|often|tend to|regularly|sometimes|years of)\b"
    r"|\b(every time|everytime)\b(?! (i|you|he|she|they|we) (breathe|breath|inhale|move|swallow|cough|walk|stand|bend|turn|lift|try))",
    r"\b(every|each) (single )?(\w+ )?(dive|trip|descent|morning|night|holiday)\b|\b(its|it has) been years\b|\bfor years\b|\bgoes away (when|if|after)\b",
)
# The present simple of a mild complaint tells of a habit: "my hands get a bit numb in 24
# degree water". Unless something places it now.
HABIT_OF_THE_BODY = any_of(
    r"\b(i|my \w+|hands|feet|fingers|toes|ears|lips) (get|gets|go|goes) (a bit |a little |kind of |kinda |quite |slightly )?"
    r"(cold|chilly|numb|tingly|tired|sore|stuffy|blocked|red|itchy|wrinkly|achy)\b"
)
# Repetition and the generic "when" tell of a habit too: "I keep getting calf cramps", "I get a
# bit dizzy when I stand up". Unless something ties it to a dive or places it now: "I keep
# getting tingling since we surfaced" is a report.
REPEATED = any_of(
    r"\b(keep|keeps|kept) (getting|having)\b|\bwhenever\b",
    r"\b(all the time|on and off|now and then|from time to time|again and again|most dives|most days)\b",
    r"\b(i|he|she|they|we|my \w+) (get|gets|go|goes) (a bit |a little |kind of |kinda |quite |slightly |really |very |so )?"
    r"(\w+ ){1,3}?(when|whenever|every time)\b",
)
# A discomfort that comes with every descent is a question of technique (equalising), not
# an injury — "my ears hurt when I descend" — unless something is happening now.
# A course named ("in my rescue class") frames a symptom as training, but not a critical
# sign: a student whose buddy stops breathing during a course is a real emergency.
IN_A_COURSE = any_of(
    r"\b(rescue|first aid|efr|open water|advanced|o2|oxygen provider) (course|class|training|scenario|exam)\b",
    r"\b(in the|todays|today'?s|at the|our|a) pool\b|\bpool (session|training|dive|skills)\b|\bconfined water\b",
    r"\b(cesa|controlled emergency swimming ascent|skills? (session|practice|test|circuit))\b",
)
# News of a course just passed ("just got my PADI Open Water, what now?") asks what comes
# next; "what now" in it is no call for help.
CERTIFIED_NEWS = any_of(
    r"\b(just|finally|recently) (got|finished|completed|passed|earned|did) (my|our|the|a) "
    r"([a-z]+ ){0,2}(open water|advanced|aow|rescue|course|cert\w*|card|licen[cs]e|divemaster)\b",
    r"\bjust (got )?certified\b",
)
# Not hearing someone underwater is a question of signals, not of the ears.
UNDERWATER_TALK = any_of(
    r"\bcant hear (my|the|our|his|her) (instructor|buddy|guide|divemaster|dm|briefing|computer|"
    r"alarm|beeps?|tank banger|rattle|shaker)\b"
)
ON_EVERY_DESCENT = any_of(r"\bwhen(ever)? (i|we|you) (descend|go down|equali[sz]e|clear my ears)\b")
DIVING = any_of(
    r"\b(dive|dives|diving|dived|diver|divers|scuba|surfac\w*|ascen\w*|came up|underwater|"
    r"dove|boat|buddy|tank|regulator|depth|\d+ ?m\b|metres|meters|feet|ft|nitrox|wreck|reef|snorkel\w*|freediv\w*|"
    r"water|sea|ocean|swim\w*|jelly ?fish|stingray|urchin|lionfish|stonefish|coral|fire coral)\b"
)
# A cause other than diving ("from carrying tanks", "after long flights"), or a figure of
# speech ("dizzy with excitement").
OTHER_CAUSE = any_of(
    r"\b(after|from) (the |a |my )?(bus|car|taxi|van|ferry|train|plane|coach|tuk ?tuk) ?(ride|trip|journey|drive|transfer)\b",
    r"\b(because|from|after) (i |he |she |we )?(sat|sitting|slept|sleeping|lying|lay|knelt|kneeling) (cross ?-?legged|on (it|my|his|her)|funny|awkwardly|wrong)\b",
    r"\b(from|after) (the |a |my |doing )?(bench ?press\w*|workout|weights|weight training|push ?-?ups|pull ?-?ups|gym session|yoga)\b",
    r"\b(from|after) (eating|drinking) (too much|so much|a lot of|way too much)\b|\b(dive|diving)[- ]free (day|today)\b",
    r"\b(after|from) (long )?(flights?|flying|hiking|the gym|running|a run|drinking|work|"
    r"carrying|lifting|hauling|sleeping|sitting|surfing|the hike|the ferry|the boat ride)\b",
    r"\b(is|are|was|its|it is) (just )?(from|due to|because of) (the |a |my )?(kneeling|knock|bump|fall|bruise|cramp|gym|workout|lifting|carrying)\b|\b(its|it is) (just )?(a )?bruised?\b",
    r"(?<!not )(?<!no )(?<!isnt )(?<!not a )(?<!not like )\b(seasick\w*|sea sick|motion sick\w*|car ?sick|on (the )?boats)\b",
    r"\b(from|because of|due to) (too much |the |a )?(sun|heat|sunburn|sunstroke|heatstroke|dehydration|not drinking)\b",
    # Out of breath on land, tired from travel, after an illness: "breathless on stairs since
    # covid", "dizzy from jet lag".
    r"\b(breathless|out of breath|short of breath|puffed|winded|wheez\w*)\b[^.?!]{0,25}\b(on (the )?stairs|climbing stairs|"
    r"walking uphill|when i (run|jog|exercise|work out))\b|\bjet ?lag\w*\b"
    r"|\b(had|after|since) (covid|the flu|flu|pneumonia|a chest infection)\b",
    # A cold, not the cold: "dizzy because of a head cold", not "shaking from the cold".
    r"\b(because of|from|due to|with) (a |my |his |her )(head cold|cold|flu|sinus infection)\b"
    r"|\b(because of|from|due to) (my |his |her |the )?(sinus\w*|allerg\w*|hay fever|blocked nose|stuffy nose|congestion)\b",
    r"\b(on|during) the (flight|plane) (to|here|over|out)\b|\bwithout (my |his |her )?(glasses|contacts|lenses|specs)\b",
    r"\b(dizzy|sick|nause\w*|queasy|vomit\w*|threw up) on the ferry\b|\b(standing up too (fast|quick\w*)|in general)\b",
    # Tired legs from finning, with no dive in days.
    r"\b(after|from) (a (week|day|few days) of |all the |a lot of |so much |hard )?(finning|kicking)\b|\bno (diving|dives) (for|in|since)\b",
    r"\b(dizzy|breathless|numb|weak) with (excitement|joy|anticipation|happiness|nerves)\b",
    # Medicines and the boat's motion: "sick from the malaria pills", "because of the waves".
    r"\b(from|because of|due to|side effects? of) (the |my |his |her |these |those |this )?(\w+ ){0,3}"
    r"(pills?|tablets?|meds|medication|medicine|antibiotics|antihistamines?|vaccines?|jabs?)\b",
    r"\b(because of|from|due to) (the )?(waves|swell|rocking|rough (sea|seas|crossing|ride))\b",
    r"\bstand(ing|s)? up (too )?(fast|quick\w*)\b",
    # Something eaten or drunk: "I think it was the prawns", "food poisoning", "hungover".
    r"\b(food poisoning|something i ate|hung ?over|hangover|too much (beer|wine|alcohol|rum))\b"
    r"|\b(it was|from|ate|eating|after) (the |some |those |bad )?(prawns|shrimp|seafood|oysters|mussels|curry|street food|buffet)\b",
)
# A cause someone guesses, or denies, is hope, not knowledge: "she thinks she's just tired
# from the sun", "I thought it was tiredness from finning but it isn't getting better", "I
# don't think it's seasickness", "she says it's from carrying the tank".
GUESSING = any_of(
    r"\b(think|thinks|thought|reckons?|reckoned|guess|guessed|assum\w*|suppos\w*|probably|maybe|perhaps|"
    r"hope|hoping|says|said|insists?|blames?|putting it down to|puts it down to)\b"
)


def cause_is_guessed(text: str) -> bool:
    """Is every cause other than diving in the (folded) message guessed, denied or hoped?"""
    causes = [
        (sentence, found)
        for sentence in SENTENCE.findall(text)
        for found in OTHER_CAUSE.finditer(sentence)
    ]
    return bool(causes) and all(
        GUESSING.search(sentence[: found.start()]) for sentence, found in causes
    )


# A pet's trouble: "my cat keeps throwing up". Its symptoms are no diver's (a person named
# beside it, or a dive, and the rules read the message as usual).
PET = any_of(
    r"\b(my|our|the|(\w+'s)) (cat|dog|puppy|kitten|pet|parrot|hamster|rabbit|bunny|guinea pig|budgie|tortoise|goldfish|"
    r"pet fish|betta)\b|^\s*(cat|dog|puppy|kitten|pet)\b|\b(fish ?tank|aquarium)\b"
)
# A person in trouble beside the pet: the writer's own state, or anyone else named.
SOMEONE_HUMAN = any_of(
    rf"\b(i am|i feel|i have|i keep|i cant|i got|me|we are|us|him|her|{PEOPLE})\b"
)
# A pet is "he" or "she" too ("our dog got stung, now he's wagging"): beside a pet, only a
# person named otherwise, or a dive, is someone human in trouble. (The sea, a beach or a boat
# is where the pet was.)
PRONOUNS = re.compile(r"\b(he|she|they|him|her|them|he is|she is|they are)\b")
DIVED = any_of(
    r"\b(dive|dives|diving|dived|dove|diver|divers|scuba|surfac\w*|ascen\w*|underwater|snorkel\w*)\b"
)
# No diving at all: "no diving today", "haven't dived yet". Unless it is getting worse.
NOT_DIVED = any_of(
    r"\bnot (diving|dived|dove) (till|until|before|yet|today|this week|for)\b|"
    r"\bno (diving|dives|dive) (today|yet|at all|this week|lately|recently|for (a few )?(days|weeks))\b|\b(didnt|hasnt|havent) (dive|dived|been diving|gone diving)\b"
    r"(?! (deep|long|much|far|hard|below|past|beyond|more|that|as|very|too|over|under)\b)"
)
# A dive someone did after all: "no diving today for me but my husband dove this morning".
DIVE_DONE = any_of(
    r"(?<!didnt )(?<!hasnt )(?<!havent )(?<!not )(?<!never )\b(dove|dived|surfaced|came up)\b(?! (yet|at all)\b)"
)
# A sign before any diving ("throwing up before the dive because of the waves") is no injury
# of the dive; something after the dive or now outweighs it.
BEFORE_THE_DIVE = any_of(
    r"(?<!fine )(?<!ok )(?<!okay )(?<!normal )(?<!well )(?<!good )"
    r"\bbefore (the |my |our |his |her |their |a |any |we |i |he |she )?(first |morning |next )?"
    r"(dive|dives|diving|dived|dove|went in|got in)\b"
)
# One occasion, not a habit: "since we surfaced", "this dive", "just".
ON_THIS_OCCASION = any_of(
    r"\bsince (we|i|he|she|they|the|this|that|my|our|his|her|today|yesterday|last night)\b",
    r"\b(this|that|the last|today'?s|yesterday'?s|last) (dive|time)\b|\bjust\b|\bstill\b",
)

# Emergencies' words about things: belongings left behind, weighting ("I keep sinking").
ABOUT_THINGS = any_of(
    r"\b(left|forgot|lost) (my|our|his|her) (\w+ ){0,2}(fins|mask|gear|bag|wetsuit|computer|camera|phone|"
    r"wallet|torch|bcd|booties|snorkel|towel|sunglasses|keys|passport|logbook|card)\b",
    r"\b(keep|keeps|always) (sinking|floating up)\b|\b(too much|too little|more|less) weight\b|"
    r"\bover ?weighted\b|\bunder ?weighted\b",
)
# Travel gone wrong on land: a missed boat at the jetty, a lost booking. A boat that left
# without us is an emergency in the water, not at the jetty asking for a refund.
TRAVEL_TROUBLE = any_of(
    r"\b(booking|reservation|transfer|driver|taxi|flight|luggage|refund|reception|check-?in|re-?book\w*|resched\w*|"
    r"(came|arrived|got there|were|was) (too )?late|"
    r"double ?booked|boat list|ticket)\b|\b(join|book|catch|take|make|miss|get on) the (afternoon|morning|next|later) (trip|boat|departure)\b"
)
# The way between two places asked about: "how do we get from Male out to Ari?". ("How do we
# get back to the boat?" is asked from the water: no place to travel from.)
TRAVEL_ROUTE = any_of(
    r"\bhow (do|can|should|would|could|to) ((i|we|you|they) )?get from (?!here\b|there\b|the (water|reef|site|sea|surface)\b)"
    r"[^.?!,]{1,30}\b(out |over |across |down |up )?to\b"
)
ON_LAND = any_of(
    r"\b(at|on|left|from|to) (the )?(jetty|pier|dock|harbou?r|airport|hotel|resort|marina|reception)\b"
)
IN_THE_WATER = any_of(r"\b(in the water|at sea|drifting|floating|swimming|adrift)\b")

# Small bites and burns of a beach day: their cause is plain, whatever else was done that day.
# A harmless cause guessed in a question ("Sunburn??", "is it just sea lice?") is the writer
# hoping, not knowing: it frames nothing.
GUESSED_CAUSE = any_of(
    r"\b(sunburn\w*|sun burn\w*|sea lice|heat rash|prickly heat|mozzie bites?|mosquito bites?|sand ?fl(y|ies))\W*\?"
    r"|\b(is (it|this|that)|could (it|this|that) be|maybe|probably) (just |only )?(a |an |from |the )?(\w+ )?"
    r"(sunburn\w*|sea lice|heat rash|prickly heat|mozzie\w*|mosquito\w*|sand ?fl(y|ies))\b[^.!]*\?"
)
BEACH_COMPLAINT = any_of(
    r"(?<!not )(?<!no )(?<!isnt )(?<!wasnt )(?<!not a )(?<!not like )\b(sea lice|sunburn\w*|sun burn\w*|mozzie\w*|mosquito\w*|sand ?fl(y|ies)|heat rash|prickly heat)\b"
)

# --- an emergency in progress --------------------------------------------------------------
# The diver says it is over: the casualty is fine, or in the hands of medical care.
# Said outright: a false alarm, the missing diver found, a doctor's all-clear. It ends the
# emergency whatever else the message asks ("false alarm. So how deep is the Thistlegorm?").
CLEARLY_OVER = any_of(
    r"\b(false alarm|all clear|(it'?s|its) over|crisis (is )?over|panic over)\b",
    r"\b(found (him|her|them)|(he|she|they) (surfaced|turned up|showed up|came up) (safe|fine|ok|okay))\b",
    r"\b(doctors?|medics|paramedics|hospital|chamber) (say|says|said|cleared)\b[^.?!]{0,40}\b(fine|ok|okay|nothing|not dcs|all good|cleared)\b",
    # Seen by medical care, with how it went: "she's been seen by the doctor and is fine now",
    # "he was checked at the hospital yesterday and is recovering". In their hands, it is over.
    r"\b(seen|checked( over| out)?|examined|looked at|treated|assessed) (by|at|in) (a |the |our |his |her )?"
    r"(doctors?|doc|gp|hospital|clinic|medics?|paramedics?|nurse|chamber|er|a&e|emergency room)\b"
    r"[^.?!]{0,40}\b(fine|ok|okay|recovering|recovered|discharged|released|stable|all good|nothing serious)\b",
)
# Better now: the end only when the message asks nothing more. "He seems OK now, but what
# should we watch for?" is a better moment in an emergency, not its end.
BETTER_NOW = any_of(
    r"\b(he|she|they|i|we|everyone|everybody|my buddy|my friend) (is|are|am|seems?|feels?|looks?) (totally |completely |all |perfectly |absolutely )?(fine|ok|okay|alright|all right|good|great|safe|normal) (now|again)\b",
    r"\b(fully |completely )?recovered\b|\bsymptoms (are )?(all )?gone\b|\b(back to normal)\b",
    r"\b(everything|all) (is |'?s )?(fine|ok|okay|good) now\b",
)
ASKS = any_of(
    r"\?",
    r"\b(what|how|when|where|which|why|should|anything|any (advice|tips|ideas?))\b",
    r"\b(do|can|could|must|shall|would|will) (we|i|he|she|they|you)\b",
    r"\bis (it|that|this|he|she)\b(?! (fine|ok|okay|over|all good))",
)


def says_it_is_over(text: str) -> bool:
    """Does the (folded) message close an emergency in progress, asking nothing more?"""
    return bool(CLEARLY_OVER.search(text)) or (
        bool(BETTER_NOW.search(text)) and not ASKS.search(text)
    )


# Still about the casualty: people, symptoms, first aid, help on its way, where to go.
STILL_ABOUT_IT = any_of(
    rf"\b{PEOPLE}\b|\b(him|her|them|his)\b",
    r"\b(oxygen|o2|cpr|breath\w*|pulse|ambulance|paramedic\w*|medics?|hospital|clinic|doctor|"
    r"chamber|hyperbaric|recompress\w*|dan|hotline|emergency|help|number|call\w*|rescue|coast ?guard|"
    r"pain|numb\w*|symptom\w*|worse|better|still|(?<!open )water|drink|lying|lie|position|warm|cold|"
    r"aspirin|paracetamol|ibuprofen|medicine|fly|flight|evacuat\w*)\b",
)


@dataclass(frozen=True)
class EmergencyAssessment:
    is_emergency: bool
    reasons: list[str] = field(default_factory=list)


# A framing the writer negates or takes back: "not a quiz anymore", "this isn't the exam
# question", "no joke", "not hypothetical any more", "not asking for a course". Read as
# "this is real", a cue of now (NOW_PATTERNS), so the framing word cannot frame the report.
RETRACTED = any_of(
    r"\b(not|isnt|no|no longer|aint|wasnt|never)( just| even)?( asking (for|about))?"
    r"( a| an| the| my| our| some| this| for a| for the)? (\w+ )?(quiz|drill|exam|test|scenario|exercise|"
    r"practice|simulation|joke|hypothetical|story|training|role ?play|game|dream|course|class)\b"
    r"( question| scenario)?( anymore| any more)?",
    r"\b(not|no longer|stop|stopped) (joking|kidding|pretending|practi[cs]ing|playing)\b( anymore| any more)?",
    # Set against the framing as what really happened: "I know we practise this in the course,
    # but my buddy actually passed out".
    r"\bbut (?=(\w+ ){0,3}(actually|for real|in real life)\b)",
    # Likened to fiction and said to be real: "it's like in that movie, but real".
    r"\b(like|as) (in )?(a|the|that|this|some) (movie|film|drill|scenario|story|nightmare|dream),? "
    r"(but|except) (this is |its |it is )?(real|for real|real life|happening)\b",
    r"\b(forget|never ?mind|scrap|drop)( about)?( the| my| that| this| our)? (\w+ )?(quiz|drill|exam|test|"
    r"scenario|exercise|practice|hypothetical|course|class|question)s?\b( stuff| thing| question)?",
)


# Words whose misspellings must still be recognised ("colapsed", "unconcious", "diveing").
KEY_WORDS = (
    "collapsed",
    "collapse",
    "unconscious",
    "unresponsive",
    "breathing",
    "breathe",
    "breath",
    "tingling",
    "tingle",
    "numbness",
    "dizzy",
    "dizziness",
    "vomiting",
    "vomit",
    "confused",
    "slurring",
    "seizure",
    "drowning",
    "drowned",
    "surfaced",
    "surfacing",
    "missing",
    "diving",
    "dive",
    "after",
    "paralysed",
    "paralyzed",
    "headache",
    "bleeding",
    "fainted",
    "weakness",
    "shoulder",
    "elbow",
    "chest",
    "vision",
    "hearing",
    "friend",
    "buddy",
)


def _close(word: str, target: str) -> bool:
    """Within one edit (insert, delete, substitute or swap) of `target`."""
    if abs(len(word) - len(target)) > 1 or word == target:
        return word == target
    if len(word) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        return len(diffs) == 1 or (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == target[diffs[1]]
            and word[diffs[1]] == target[diffs[0]]
        )
    shorter, longer = sorted((word, target), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


# Real words one edit away from a key word ("single" is not a misspelt "tingle").
NOT_MISSPELLINGS = frozenset(
    {
        *("single", "mingle", "jingle", "tinkle", "shoulders", "missions", "hearings"),
        *("giving", "living", "driving", "drive", "hiving", "jiving"),
        *("heading", "healing", "bearing", "fearing", "gearing", "nearing", "rearing"),
        *("searing", "tearing", "wearing", "hissing", "kissing", "pissing"),
        *("fried", "fiend", "painted", "tainted", "chess", "cheat", "alter"),
        *("muddy", "ruddy", "fizzy", "tizzy", "breeding", "bleeping", "confuses"),
    }
)


def _correct(word: str) -> str:
    if len(word) < 5 or word in KEY_WORDS or word in NOT_MISSPELLINGS:
        return word
    for target in KEY_WORDS:
        # "diver" is not a misspelt "dive", nor "breathe" of "breath": inflections stay.
        if word.startswith(target) or target.startswith(word):
            continue
        if _close(word, target):
            return target
    return word


def fold(text: str) -> str:
    folded = to_english(text.lower())
    for pattern, replacement in _FOLD:
        folded = re.sub(pattern, replacement, folded)
    folded = re.sub(r"[a-z]+", lambda m: _correct(m.group(0)), folded)
    # A framing said not to hold ("not a quiz anymore") frames nothing: it says this is real.
    folded = RETRACTED.sub(" this is real ", folded)
    return re.sub(r"\s+", " ", folded)


def settled(text: str) -> bool:
    """A (folded) message telling how a scare ended, unless it is getting worse again."""
    return bool(SETTLED.search(text)) and not WORSENING.search(text)


# Bad visibility: "couldnt see my own fins" is about the water, not the eyes.
VISIBILITY = any_of(r"\b(visibility|viz|vis)\b")


def talks_of_visibility(text: str) -> bool:
    """A (folded) message about the water's visibility, with no sign the rules know."""
    return bool(VISIBILITY.search(text)) and not names_a_sign(text)


# A precaution asked for, or all said to be well: "everything went fine, what should I watch
# for tonight?", "no symptoms 8 hours later, do I need to do anything?".
WATCH_FOR = any_of(
    r"\b(what|which|any)( \w+)? (symptoms?|signs?|things?)\b[^.?!]{0,30}\b(watch|look|keep an eye|check)\b",
    r"\banything (to|i should|we should|i need to|we need to) (watch|look|worry|keep an eye)",
    r"\b(should|do|need) (i|we) (to )?(worry|be worried|be concerned)\b",
    r"\bdo (i|we|you) need to (do anything|worry|see (a|someone))\b",
)
ALL_WELL = any_of(
    r"\bno (symptoms?|pain|problems?|issues?|signs?)( at all| whatsoever| so far)?\b(?! of)",
    r"\b(everything|all|the dive|the dives|it) (went|was|is|has been) (fine|ok|okay|good|well|great|perfect)\b",
    r"(?<!says )(?<!said )\b(i|we|he|she|they|both|both of us|all of us|everyone|everybody) (feel|feels|felt|am|are|is|were|was|seem|seems)? ?(totally |completely |perfectly )?(fine|ok|okay|great|normal|safe)\b",
)
# Equipment that is faulty, asked about with no one in trouble and no one in the water:
# "my SPG shows 0 on a full tank, broken gauge?", "mask skirt tore, can it be repaired?".
GEAR_FAULT = any_of(
    r"\b(gauge|spg|computer|needle|strap|buckle|mask|skirt|fins?|hose|inflator|octo\w*|mouthpiece|"
    r"zip|zipper|wetsuit|drysuit|bcd?|tank|cylinder|valve|o-?ring|light|torch|camera|reg|regulator|"
    r"second stage|first stage|laptop|phone|tablet|charger)\b[^.?!]{0,40}\b(broken|broke|tore|torn|ripped|"
    r"cracked|leaks?|leaking|hiss\w*|sticking|missing|faulty|snapped|showing|reads|reading|"
    r"wont (turn on|switch on|charge|start|work|boot))\b"
)
IN_THE_WATER_NOW = any_of(
    r"\bat \d+ ?(m|metres|meters|ft|feet)\b|\b(underwater|at depth|down here|in the water|right now)\b"
)
# Wildlife seen, not met: "saw a shark!!", "the dolphins followed our boat".
_ANIMALS = (
    r"(sharks?|turtles?|mantas?|rays?|dolphins?|whales?|octopus\w*|eels?|seals?|sea lions?|snakes?|"
    r"jelly\w*|nudi\w*|barracudas?|groupers?|fish)"
)
SIGHTING = any_of(
    rf"\b(saw|seen|see|spotted|spot|watched)\b[^.?!]{{0,30}}\b{_ANIMALS}\b",
    rf"\b{_ANIMALS} (\w+ )?(followed|swam|came|circled|jumped|passed|cruised|surfaced)\b",
)
ANIMAL_HARM = any_of(r"\b(bit|bitten|bite|stung|sting|attack\w*|charged|rammed|hit|grabbed)\b")


def asks_as_a_precaution(text: str) -> bool:
    """A (folded) message asking what to watch for, or saying all is well, naming no sign."""
    return (
        bool(WATCH_FOR.search(text) or ALL_WELL.search(text))
        and not WORSENING.search(text)
        and not names_a_sign(NEGATED_SIGNS.sub(" ", text))
    )


def talks_of_gear(text: str) -> bool:
    """A (folded) message about faulty equipment, naming no sign, no one in the water now."""
    return (
        bool(GEAR_FAULT.search(text))
        and not IN_THE_WATER_NOW.search(text)
        and not names_a_sign(text)
    )


def tells_of_a_sighting(text: str) -> bool:
    """A (folded) message about wildlife seen, naming no sign and no harm done by it."""
    return bool(SIGHTING.search(text)) and not ANIMAL_HARM.search(text) and not names_a_sign(text)


def talks_of_travel(text: str) -> bool:
    """A (folded) message about bookings, transfers or flights: no sign the rules know, or
    the travel trouble on land that frames one for them ("the boat left without us, we are
    at the jetty")."""
    if TRAVEL_ROUTE.search(text) and not IN_THE_WATER.search(text) and not names_a_sign(text):
        return True
    return bool(TRAVEL_TROUBLE.search(text)) and (
        not names_a_sign(text) or bool(ON_LAND.search(text) and not IN_THE_WATER.search(text))
    )


# Tips asked for: "I burn through air faster than my buddy, tips?".
TIPS = any_of(
    r"\b(tips|any advice|advice on|any tricks|pointers)\b|\bhow (do|can|could|should) (i|we) (improve|reduce|use less|get better|stop|work on)\b"
)


# What tips are asked about: a skill or a habit of the dive, never someone's state.
SKILL = any_of(
    r"\b(air|gas|tank|consumption|sac|buoyancy|trim|finning|fin|kick\w*|weight\w*|equali[sz]\w*|mask|fog\w*|"
    r"mouthpiece|descent|descend\w*|ascent|breathing rate|last longer)\b"
)


def asks_for_tips(text: str) -> bool:
    """A (folded) request for tips on a skill or habit, with no sign the rules know and no
    time since a dive ("my buddy is acting off since the dive, any advice?" is a report)."""
    return (
        bool(TIPS.search(text) and SKILL.search(text))
        and not names_a_sign(text)
        and not AFTER_DIVE.search(text)
        and not NOW.search(text)
    )


def asks_about_taking_part(text: str) -> bool:
    """A (folded) message about whether someone may dive, with no sign the rules know and
    nothing placed now or after a dive ("my son is 8 and he's shivering and blue after
    snorkelling, what do I do?" tells an age beside a report)."""
    return bool(TAKING_PART.search(text)) and not names_a_sign(text) and not RECENT.search(text)


# Said of now: a present tense, or a word of now. A clause in it that names a sign is a report
# of the sign now, unless it is itself a condition, a question about signs or a past framing.
PRESENT = any_of(
    r"\b(is|are|am|isnt|arent|has|have|hasnt|cant|wont|doesnt|dont|keeps?|feels?|looks?|seems?|getting|since|"
    r"hurts|hurting|aches|aching|tingles|spinning|"
    r"now|still|currently|today|tonight|suddenly|right now|its|it's|theres|there's)\b"
)
CONDITIONAL = any_of(r"\b(if|whether|ever|in case|unless|suppose\w*|would|might)\b")


def present_report(text: str, after: re.Pattern | None = None) -> bool:
    """Does a clause of the (folded) message report a sign now, however the rest is framed?

    "The headache went away earlier but it's come back way worse", "doctor said it was fine
    yesterday but today my legs are weak", "I had DCS last year, my elbow hurts the same way
    now": a story of something over, or of the past, does not frame a present report beside
    it. Each clause (split at sentences, commas and "but") is read on its own. When `after` is
    RESOLVED, only a report after the last clause saying it is over counts: in "my wrist is
    numb from the strap, took it off, fine now" the last word is that it is over.
    """
    parts = [part for clause, _ in clauses(text) for part in CONTRAST.split(clause) if part.strip()]
    if after is RESOLVED:
        ended = [i for i, part in enumerate(parts) if RESOLVED.search(part)]
        parts = parts[ended[-1] + 1 :] if ended else parts
    return any(
        names_a_sign(NEGATED_SIGNS.sub(" ", part))
        and PRESENT.search(part)
        and not QUESTION_OPENING.search(part)
        and not CONDITIONAL.search(part)
        and not RESOLVED.search(part)
        and not PAST.search(part)
        and not HYPOTHETICAL.search(part)
        and not EDUCATIONAL.search(part)
        for part in parts
    )


# What a framing taken back is read as (RETRACTED).
SAID_TO_BE_REAL = re.compile(r"\bthis is real\b")
NO_ONE = re.compile(r"\b(nobody|no one|noone|none of (us|them))\b")
# Someone here: the writer or someone with them, not anyone at all ("someone", "a diver").
HERE = any_of(r"\b(i|my|we|our|he|his|she|her|they|their)\b")
# Someone with the writer: "our dive", "with us".
US = any_of(r"\b(we|us|our|with me)\b")


def relayed_from_here(text: str) -> bool:
    """A post or message told in the present by someone here ("our dive", "with us")."""
    return bool(
        PRESENT.search(text)
        and US.search(text)
        and not PAST.search(text)
        and not CONDITION.search(text)
    )


def timed_report(text: str) -> bool:
    """Does a clause of the (folded) message place someone's state now by a time since the dive?

    "Should I be worried that my shoulder aches 2 hours after diving?", "I'm in pain 20 min
    after surfacing, how do I know if it's the bends?": a time counted from the dive, said
    of someone here in the present tense, is how long ago the dive was, so the state is now
    whatever question is wrapped around it. Told in the past ("went missing for 40 minutes")
    or as a condition ("say my wife starts slurring an hour after a dive") it places nothing.
    """
    return bool(DURATION.search(text)) and any(
        DURATION.search(part)
        and PRESENT.search(part)
        and HERE.search(part)
        and not CONDITION.search(part)
        and not PAST.search(part)
        and not RESOLVED.search(part)
        for clause, _ in clauses(text)
        for part in CONTRAST.split(clause)
    )


def framing(text: str, *, critical: bool = False) -> str | None:
    """Why a (folded) message that names a problem is not a report of one now, if it is not.

    Knowledge, fiction, training, figures of speech, an episode that has passed, the past
    and hypotheticals frame away any sign. A symptom is framed away too by a habit, a
    cause other than diving, or planning ahead; a critical sign is not.
    """
    if NOT_REAL.search(text) and not (
        SAID_TO_BE_REAL.search(text) and names_a_sign(text) and not NO_ONE.search(text)
    ):
        return "a training scenario, story or procedure"
    if WATCHED.search(text) and not present_report(
        ". ".join(part for part, _ in clauses(text) if not WATCHED.search(part))
    ):
        return "a clip or post watched"
    if RELAYED.search(text) and not (present_report(text) or relayed_from_here(text)):
        return "a post passed on"
    if FIGURATIVE.search(text) or FOR_EFFECT.search(text):
        return "a figure of speech"
    if GEAR_ASKED.search(text) and not (
        IN_THE_WATER_NOW.search(text)
        or NOW.search(text)
        or SYMPTOM.search(NEGATED_SIGNS.sub(" ", text))
        or BODY_AFTER_GEAR.search(text)
    ):
        return "a question about equipment"
    if (
        RESOLVED.search(text)
        and not WORSENING.search(text)
        and (not GONE_FOR_GOOD.search(text) or TURNED_OUT.search(text))
        and not present_report(text, after=RESOLVED)
    ):
        return "an episode that has passed"
    now = NOW.search(text)
    # "went missing for 40 minutes" tells how long, not that it is still so; "my arm is numb an
    # hour after the dive" does.
    now_beyond_durations = NOW.search(DURATION.sub(" ", text)) or timed_report(text)
    asked = HYPOTHETICAL.search(text) or EDUCATIONAL.search(text)
    if (
        asked
        and not now_beyond_durations
        and not reports_someone_in_trouble(text, in_questions=True)
    ):
        return "a condition" if CONDITION_ASKED.search(text) else "a question or a hypothetical"
    if (
        PAST.search(text)
        and not now_beyond_durations
        and not GONE_FOR_GOOD.search(text)
        and not present_report(text, after=PAST)
    ):
        return "the past"
    if asks_about_fitness(text):
        return "a question of fitness to dive"
    if critical and TRAVEL_TROUBLE.search(text) and ON_LAND.search(text):
        if not IN_THE_WATER.search(text):
            return "travel trouble on land"
    if critical:
        # One question naming no one ("how quickly does hypothermia set in at 20 degrees?")
        # asks about a sign; every report of one now has someone in it.
        parts = clauses(text)
        if names_no_one(text) and all(asked for _, asked in parts) and text.rstrip().endswith("?"):
            return "a question that names no one"
        return None
    if IN_A_COURSE.search(text):
        return "a training scenario, story or procedure"
    if TECHNIQUE_ASKED.search(text) and not (EAR_INJURY.search(text) or AFTER_DIVE.search(text)):
        return "a technique asked about"
    if CERTIFIED_NEWS.search(text) and not SYMPTOM.search(text):
        return "news of a certification"
    if DEBRIEF.search(text):
        return "a debrief"
    if names_no_one(text):
        return "a question that names no one"
    if GEAR_CARE.search(text):
        return "care of equipment"
    if ABOUT_THINGS.search(text):
        return "belongings or weighting"
    if UNDERWATER_TALK.search(text) and not now:
        return "signals underwater"
    after_dive = AFTER_DIVE.search(text)
    if (
        said_with_a_sign(HABITUAL, text)
        or ((ON_EVERY_DESCENT.search(text) or HABIT_OF_THE_BODY.search(text)) and not now)
        or (REPEATED.search(text) and not (now or after_dive or ON_THIS_OCCASION.search(text)))
    ):
        return "a habit"
    if PET.search(text) and not (
        after_dive or DIVED.search(text) or SOMEONE_HUMAN.search(PRONOUNS.sub(" ", text))
    ):
        return "a pet's trouble"
    if (
        (OTHER_CAUSE.search(text) and not after_dive and not cause_is_guessed(text))
        or (
            BEFORE_THE_DIVE.search(text)
            and not (after_dive or now or ON_THIS_OCCASION.search(text))
        )
        or (BEACH_COMPLAINT.search(text) and not GUESSED_CAUSE.search(text))
        or (
            NOT_DIVED.search(text)
            and not (after_dive or DIVE_DONE.search(text) or WORSENING.search(text))
        )
    ):
        return "another cause"
    if FUTURE.search(text) and not (after_dive or now or reports_someone_in_trouble(text)):
        return "planning ahead"
    return None


# What the rules see in a message, whether or not they raise it: the learned detector
# weighs these beside the embedding, so a message with no sign of a person in trouble
# needs a stronger resemblance to an emergency to be raised.
SIGNALS = (CRITICAL, SYMPTOM, NOW, RECENT, AFTER_DIVE, DIVING)


def signals(folded: str) -> list[float]:
    """1.0 for each of SIGNALS found in the (folded) message, else 0.0."""
    return [1.0 if pattern.search(folded) else 0.0 for pattern in SIGNALS]


def assess(message: str) -> EmergencyAssessment:
    return assess_folded(fold(message))


# Signs said to be absent: "no pain or tingling", "without any numbness".
NEGATED_SIGNS = re.compile(
    r"\b(no|without( any)?|not any|zero|nor)( \w+)? (pain|tingl\w*|numb\w*|symptoms?|dizz\w*|headache|swelling|"
    r"rash|weakness|nausea|vomiting|cough\w*|panic\w*)((,|,? or|,? and|,? nor) (any )?(pain|tingl\w*|numb\w*|"
    r"symptoms?|dizz\w*|headache|rash|weakness|nausea|vomiting|cough\w*|panic\w*))*\b"
)


def assess_folded(text: str) -> EmergencyAssessment:
    """The rules' verdict on a message already folded (`fold`)."""
    critical = CRITICAL.search(text)
    symptom = SYMPTOM.search(NEGATED_SIGNS.sub(" ", text))
    if not critical and not symptom:
        return EmergencyAssessment(False)
    reason = framing(text, critical=bool(critical))
    if reason:
        return EmergencyAssessment(
            False, [f"{'critical sign' if critical else 'symptom'}: {reason}"]
        )
    if critical:
        return EmergencyAssessment(True, [f"critical: {critical.group(0)}"])
    # A symptom counts when it is placed now or after a dive, or while diving.
    if RECENT.search(text):
        return EmergencyAssessment(True, [f"symptom: {symptom.group(0)}"])
    if DIVING.search(text) and not FUTURE.search(text):
        return EmergencyAssessment(True, [f"symptom while diving: {symptom.group(0)}"])
    return EmergencyAssessment(False, ["symptom without a time or diving context"])


def is_emergency(message: str) -> bool:
    return assess(message).is_emergency
