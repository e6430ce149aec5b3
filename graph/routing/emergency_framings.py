"""Why a message that names a sign is no report of one now: the framings of the rules.

Knowledge, fiction, training, figures of speech, an episode that has passed, the past and
hypotheticals frame away any sign; a habit, a cause other than diving or planning ahead
frame away a symptom but not a critical sign (`framing`). The clause readers beside them
(`present_report`, `reports_someone_in_trouble`, `timed_report`) find the report of now
that a story of the past or a question wrapped round it does not frame away.
"""

from __future__ import annotations

import re

from graph.routing.emergency_signs import (
    AFTER_DIVE,
    DURATION,
    FUTURE,
    NEGATED_SIGNS,
    NOW,
    PEOPLE,
    SYMPTOM,
    names_a_sign,
)
from graph.routing.text import any_of

# A condition said in so many words: whatever tense follows, nothing is reported by it.
CONDITION_PATTERNS = (
    r"\bwhat if\b|\bsuppose\w*\b|\bimagine\b|\bhypothetic\w*\b|\bin case( of)?\b|\bin the event\b|\blet'?s say\b",
    r"^\s*((and|but|so|or) )?(if|when) (i|you|someone|a diver|my|your|the|one|it)\b",
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
    r"\bwhat(s| is) the (right |correct |best )?answer\b|\banswer to this (one|question)\b",
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
    r"\blast (autumn|spring|fall|weekend|time|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    # (Not a person known from then: "my friend from back in uni is here with us".)
    r"(?<!from )\bback (in|at) (uni|university|college|school|high school|the day)\b|\bin my (\w+ )?(days|twenties|thirties)\b",
    r"\b(fully )?recovered\b|\bwent away\b|\b(is|am|are|was|were|seems?|feels?) (fine|ok|okay|alright|good) now\b",
    r"\b(everyone|everybody|we|all) (is |are |were |was )?(fine|ok|okay|safe)\b|\bsurfaced (normally|fine|ok|safely)\b|\bascended normally\b",
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
    # ("Still hasn't gone away" is not over.)
    r"(?<!wont )(?<!not )(?<!never )(?<!doesnt )(?<!didnt )(?<!hasnt )(?<!havent )(?<!hadnt )(?<!isnt )\b(went|gone|go) away\b|\b(swelling|it) (has |is )?(gone|went) down\b|\b(passed|stopped|settled) (after|on its own|by itself|within)\b",
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
    r"how (do|can|should) i (better )?equali[sz]e|equali[sz]\w* (tips|technique|advice)|tips (for|on) equali[sz]\w*)\b",
    # Any technique or method asked about beside the ears or equalising: "my ears hurt on
    # descent, I can't equalize, what technique should I use?".
    r"\b(equali[sz]\w*|ears?)\b.{0,80}\b(what|which) (\w+ ){0,2}(technique|method)s?\b",
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
# A cause other than diving ("from carrying tanks", "after long flights"), or a figure of
# speech ("dizzy with excitement").
OTHER_CAUSE = any_of(
    r"\b(after|from) (the |a |my )?(bus|car|taxi|van|ferry|train|plane|coach|tuk ?tuk) ?(ride|trip|journey|drive|transfer)\b",
    r"\b(because|from|after) (i |he |she |we )?(sat|sitting|slept|sleeping|lying|lay|knelt|kneeling) (cross ?-?legged|on (it|my|his|her)|funny|awkwardly|wrong)\b",
    r"\b(from|after) (the |a |my |doing )?(bench ?press\w*|workout|weights|weight training|push ?-?ups|pull ?-?ups|gym session|yoga)\b",
    r"\b(from|after) (eating|drinking) (too much|so much|a lot of|way too much)\b|\b(dive|diving)[- ]free (day|today)\b",
    r"\b(after|from) (long )?(flights?|flying|hiking|the gym|running(?! (low|out|short))|a run|drinking|work|"
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
    r"\b(think|thinks|thought|reckons?|reckoned|guess|guessed|assum\w*|suppos\w*|probably|prob|prolly|maybe|perhaps|"
    r"hope|hoping|says|said|insists?|blames?|putting it down to|puts it down to)\b",
    # Asked, right before the cause: "seeing double since the dive, is that from the sun?".
    r"\b(is|could|can|might|would|was) (that|it|this|they|these)( (be|just|all|really|maybe))*\s*$",
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
IN_THE_WATER_NOW = any_of(
    r"\bat \d+ ?(m|metres|meters|ft|feet)\b|\b(underwater|at depth|down here|in the water|right now)\b"
)


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
    # Gear is cared for after the dive; a sign reported now beside it is the diver's ("computer
    # flooded so we ascended fast, now my fingers tingle"), as beside a past or an ended episode.
    if GEAR_CARE.search(text) and not present_report(text):
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
