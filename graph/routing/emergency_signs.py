"""The signs the emergency rules know, and the words that place them in time.

Critical signs (someone not breathing, unconscious, missing, adrift…) and symptoms
(numbness, joint pain, confusion…), told apart because a framing (graph/routing/
emergency_framings.py) takes a symptom away more easily than a critical sign; and the cues of
now, of "after the dive" and of diving, which place a symptom. `signals` gives the learned
detector what these see in a message, whether or not the rules raise it.
"""

from __future__ import annotations

import re

from graph.routing.text import any_of

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
    # ("When I'm going down" is the descent.)
    r"(?<!when )(?<!while )(?<!whenever )(?<!as )\b(i am|we are|he is|she is|they are) (sinking|going down)\b"
    r"(?! (money|cash|into|on purpose|slowly to))",
    r"\b(was|were|been|got|is|are) (left|forgotten|abandoned) (behind )?(at (the )?(dive )?(site|reef|mooring|surface)|in the water|at sea|out there|by (the|our|a) (dive |day )?boat)\b",
    # Texting drops the verb: "friend left at island site boat already back".
    rf"\b{PEOPLE} (left|forgotten|abandoned) (behind )?(at|on) (the )?(\w+ )?(dive )?(site|reef|mooring|buoy)\b",
    # First aid under way is a report of now.
    r"\b(him|her|them) on (oxygen|o2)\b|\b(put|applied|applying|loosen|tighten)\w* (a |the )?tourniquet\b|\btourniquet (is )?on\b|\bambulance (is )?\d+ ?min",
    r"\b(coast ?guard|ambulance|paramedics|rescue boat|helicopter|help)\b (is |are )?(on (the|its|their) way|coming|called|en route)\b",
    r"\bnot (back|up) yet\b|\bstill (underwater|down there|missing)\b",
    # Overdue, told plainly: "my husband is overdue from his dive", "dad's not back", "she's
    # nowhere", "we got separated ... 15 minutes ago". (Gear is overdue for a service.)
    rf"\b{PEOPLE}\b[^.?!]{{0,20}}\boverdue\b(?! (for|on))|\b{PEOPLE} (is |are )?not back\b"
    r"|\b(he|she|they) (is|are) nowhere\b(?! near)"
    r"|\b(supposed|meant|due|expected) to (be (up|back|out)|surface|come up)\b[^.?!]{0,30}\b(ago|already)\b"
    r"|\b(we|i) (got |were |have been )?separated\b[^.?!]{0,40}\b\d+ ?(min|mins|minutes) ago\b",
    # Not back on board, told of anyone: "one of the guests never got back on the boat".
    rf"\b(one of (us|them|the \w+|our \w+)|{PEOPLE}|guests?|passengers?|customers?|swimmers?|snorkell?ers?)\b[^.?!]{{0,20}}"
    r"\b(hasnt|didnt|never|wasnt|werent|isnt|arent|not) (\w+ )?(got|get|gotten|come|came|climbed|made it) back (on|onto|aboard|in|into)\b",
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
    # The same said plainly: "keeps forgetting what we just said".
    # Words that will not come: "finding it hard to find my words since the ascent".
    r"\b(hard|trouble|difficulty|struggling|cant|unable) (to |with )?(find|finding|get|getting|say|saying)"
    r" (my|his|her|their|the) words\b|\bwords (are |keep )?(coming out )?(wrong|jumbled|muddled|mixed up)\b",
    r"\b(keeps?|kept|keep on) forgetting\b|\bforgetting (what|where|who|things|everything)\b",
    r"\b(ear|ears|eardrum)\b[^.?!]{0,40}\b(pain|hurt\w*|ache\w*|aching|screaming|killing|agony|popped|burst|ruptured)\b",
    r"\b(my|his|her|the|their) (hearing|vision|sight|eyesight|field of view) (is |has |'s )?(gone|going|went)\b",
    r"\bcant hear (anything|properly|well|a thing|out of|from|on|in|with)\b|\bcant hear\s*([.,;!?]|$)",
    r"\b(feel|feels|feeling) (really |very |so |a bit )?(sick|queasy|rough)\b(?! (with|about|of))",
    r"\bgetting (sleepier|drowsier|drowsy|sleepy|more (confused|drowsy|sleepy))\b|\b(is|are|am|feels?|seems?|looks?|very|so|really) drowsy\b|\bcant stay awake\b|\bkeeps? (falling asleep|nodding off)\b",
    # Looking drunk with nothing drunk: balance and coordination gone.
    r"\b(looks?|seems?|acting|acts|walking|walks) (\w+ )?(drunk|tipsy|wasted|spaced out|out of it)\b",
    r"\b(stumbling|staggering|uncoordinated|off balance|cant walk straight)\b|\b(is|am|are|really|very|so|gone|getting) clumsy\b",
    r"\blegs? (are |is |have gone |has gone |feel |feels |gone |went )?(all )?wobbly\b|\bwobbly (legs|on (his|her|my|their) feet)\b",
    # Said of a person, not of a ladder: "sick and wobbly", "she looks wobbly".
    r"\b(im|i am|hes|he is|shes|she is|theyre|they are|feels?|feeling|looks?|looking|seems?|being|and) (\w+ )?wobbly\b",
    # Everyday words for vomiting and for a leg that has lost its strength.
    r"\b(been|being) sick\b(?! (of|and tired|with|leave|days?|note))|\bsick (twice|again|\w+ times)\b",
    r"\b(dragging|drags|dragged) (his|her|my|their|one|a|the) ((left|right|bad) )?(leg|foot)\b",
    r"(?<!no )\b(dizz\w*|dizy|vertigo|spinning|room (is )?spin\w*|lightheaded|light-headed|faint\w*)\b",
    r"\b(vomit\w*|vommit\w*|throw\w* up|puking|nause\w*)\b",
    r"\b(marbl\w*|mottled|blotch\w*|purple (skin|patches|blotches)|skin (rash|itch\w*))\b|\brash\b(?! ?(guard|vest|top|shirt|suit))",
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
    # Out of the water said plainly: "since we got out", "since he climbed back on board".
    # ... or back on any boat, or ashore: "since we got back on the dhoni", "back to the resort".
    r"\bsince (we|i|he|she|they|you) (got|came|climbed) (out|back on board|back aboard|back (on|onto|to|in)\b)",
    # New since the dive: "patches that weren't there before we went in".
    r"\b(wasn'?t|weren'?t|was not|were not|isnt|arent) there (before|this morning|earlier)\b",
)
# Unmistakably now: outweighs a mention of the past ("I had DCS once, and now ...").
NOW_PATTERNS = (
    # "Now I want to learn" turns from a story to a plan; it does not place a sign now.
    r"(?<![0-9] )\bnow\b(?! (i|we|he|she|they) (want|wants|wanna|would|plan|plans|am planning|hope|hopes|wonder|am thinking|am \d+|always|usually|never|loves?|enjoys?|likes?|adores?))"
    r"(?! (i am|he is|she is|they are|we are) (scared|afraid|worried|nervous|anxious|terrified|too scared))"
    # A role held now ends a story ("now she's a divemaster"); a state does not ("a bit dizzy").
    r"(?! (i am|he is|she is|they are|we are) (a|an) (?!(bit|little|lot|mess)\b)\w+)",
    r"\b(currently|right now|suddenly|getting worse|worse and worse|at the moment)\b",
    # A sign that has not ended: "a numb arm since last night that still hasn't gone away".
    r"\bstill (hasnt|havent|isnt|not|wont)\b[^.?!]{0,20}\b(gone|go|went|stopped|better|improved|cleared|eased|settled|faded)\b"
    r"|\b(hasnt|havent) (gone|go) away\b",
    r"\b(this is real|for real|(its|it is) real|(really|actually) happening|happening (right )?now)\b",
    r"\b(today'?s?|tonight|this (morning|afternoon|evening))\b",
    # "After 40 minutes" tells how long something took, not when it is.
    r"(?<!after )\b\d+ ?(min|mins|minutes?|hours?|hrs?)( ago| now)?\b|\b(an|one|half an?) hour( ago)?\b",
    # Help called for, not help in general ("until help arrives", "help me choose").
    # ("He'd just surfaced behind the boat" is a story's past: the pluperfect places nothing now.)
    r"(?<!had )(?<!'d )\bjust (surfaced|came up|got out|finished|did)\b|\b(urgent|asap|sos)\b|!!",
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
    # Someone's own body, said as the diver says "my": "he can't feel his fingers".
    r"\b(my|his|her|their) (arm|leg|legs|hand|hands|fingers?|feet|foot|toes|face|shoulder|knee|elbow|back|skin|vision|chest|head|ear|ears)\b",
)
# Planning ahead ("can he do a discover scuba next month?") is not a report of now.
FUTURE = any_of(
    r"\b(next (week|month|year|trip|time|season)|tomorrow|upcoming|before my trip|planning|plan to|in a (few )?(days|weeks)|"
    r"in \d+ (days|weeks))\b"
)


def names_a_sign(text: str) -> bool:
    """Does the (folded) text name a critical sign or a symptom the rules know?"""
    return bool(CRITICAL.search(text) or SYMPTOM.search(text))


DIVING = any_of(
    r"\b(dive|dives|diving|dived|diver|divers|scuba|surfac\w*|ascen\w*|came up|underwater|"
    r"dove|boat|buddy|tank|regulator|depth|\d+ ?m\b|metres|meters|feet|ft|nitrox|wreck|reef|snorkel\w*|freediv\w*|"
    r"water|sea|ocean|swim\w*|jelly ?fish|stingray|urchin|lionfish|stonefish|coral|fire coral)\b"
)


# What the rules see in a message, whether or not they raise it: the learned detector
# weighs these beside the embedding, so a message with no sign of a person in trouble
# needs a stronger resemblance to an emergency to be raised.
SIGNALS = (CRITICAL, SYMPTOM, NOW, RECENT, AFTER_DIVE, DIVING)


def signals(folded: str) -> list[float]:
    """1.0 for each of SIGNALS found in the (folded) message, else 0.0."""
    return [1.0 if pattern.search(folded) else 0.0 for pattern in SIGNALS]


# Signs said to be absent: "no pain or tingling", "without any numbness".
NEGATED_SIGNS = re.compile(
    r"\b(no|without( any)?|not any|zero|nor)( \w+)? (pain|tingl\w*|numb\w*|symptoms?|dizz\w*|headache|swelling|"
    r"rash|weakness|nausea|vomiting|cough\w*|panic\w*)((,|,? or|,? and|,? nor) (any )?(pain|tingl\w*|numb\w*|"
    r"symptoms?|dizz\w*|headache|rash|weakness|nausea|vomiting|cough\w*|panic\w*))*\b"
)
