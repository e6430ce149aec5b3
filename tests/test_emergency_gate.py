"""The emergency gate on phrasings written apart from the eval dev set."""

import pytest

from graph.routing.emergency import assess
from graph.routing.emergency_arbitration import held_back
from graph.routing.emergency_lookalikes import asks_about_taking_part, talks_of_travel
from graph.routing.emergency_words import fold
from graph.routing.malay import to_english

EMERGENCIES = [
    "my buddy's knee hurts a lot since we surfaced",
    "I feel numb on my left arm after the 2nd dive",
    "my brother is confused and cant walk straight, we dived to 35m",
    "HELP my wife is not breathing",
    "our guide hasn't come up, it's been 20 minutes",
    "Sis has a weird rash and feels dizzy after diving",
    "dude next to me just collapsed on the deck",
    "i have tingling in my fingers and my shoulder aches, finished diving an hour ago",
    "he is throwing up and can't stand, we did 3 dives",
    "my dad is short of breath since the ascent",
    "we lost sight of a diver, the current is carrying him out",
    "my vision is blurry after surfacing",
    "student unconscious at the surface",
    "numbness in legs after dive",
    "after the wreck dive my husband says his chest feels tight",
    "I think my buddy has the bends, his elbow is killing him",
    "freind cant breath after dive plz help",
    "my mom suddenly can't hear anything in one ear since ascending",
    "I had DCS once before and now my arm is numb again after today's dive",
    "my son is very pale and nauseous after the dive",
    "my buddy is low on air at 25m",
]

NOT_EMERGENCIES = [
    "what does numbness after diving usually mean?",
    "can you get DCS after only one dive?",
    "last summer my friend got bent in Thailand, he recovered fully",
    "what should we do if a diver is unconscious at the surface?",
    "in my EFR course we practised CPR on a dummy",
    "I'm writing a novel where the hero gets the bends",
    "my ears always hurt a little on descent",
    "is it safe to dive with a chest cold next week?",
    "my chest strap keeps slipping on my BCD",
    "which reef near Tioman has the clearest water?",
    "I can't hear the dive briefing over the engine noise",
    "how long after diving can I fly?",
    "my back aches from carrying tanks, any tips for lifting?",
    "the current was strong at Batu Bolong but we all surfaced fine",
    "how do you treat a lionfish sting?",
    "my grandfather had a stroke years ago, can he snorkel?",
    "what are the signs of oxygen toxicity?",
    "I'm dizzy with excitement about my first dive tomorrow!",
    "breathing through a regulator feels weird, is that normal for beginners?",
    "what's the emergency number in Malaysia?",
    "I'm always the first one low on air, any tips?",
]


# Texting drops the pronoun and asks before it tells: the report after the question counts.
QUESTION_THEN_REPORT = [
    "is weakness in one leg after a deep dive an emergency? cant lift it properly",
    "could chest pain after a fast ascent be serious, it hurts to breathe",
    "is double vision after a dive something to worry about? it started on the ascent",
    "what are the signs of dcs? my buddy has tingling in his arm",
    "how do you treat it, the guy on our boat has pink foamy spit after surfacing",
    "is it normal to feel pins and needles in my hands after today's dive",
]

# A question throughout stays a question, even with a sign and a person in it.
QUESTION_THROUGHOUT = [
    "can dcs cause a rash, or is it usually something else?",
    "what should you do if your buddy has a nosebleed after a dive?",
    "if my buddy gets numb after a dive, what should i do?",
    "for the rescue exam, what is the correct answer: "
    "unresponsive diver not breathing, tow or breaths first?",
    "How is DCS treated? My friend had the bends in 2019 and was numb for days",
]


@pytest.mark.parametrize(
    ("message", "taking_part"),
    [
        ("my son is 11, can he do it too?", True),
        ("is 10 old enough for a discover scuba?", True),
        ("my son is 11 and dizzy after the dive", False),  # a sign: the rules decide
        ("my son is 12 and not breathing", False),
    ],
)
def test_a_question_of_taking_part_is_told_apart_from_a_sign(message, taking_part):
    assert asks_about_taking_part(fold(message)) is taking_part


# Each kind below was found by messages written in voices unlike the rules' own (issue 9,
# evals/datasets/emergency_dev_d.jsonl); these are other wordings of the same kinds.
REPORTS_THE_FRAMINGS_MUST_NOT_HIDE = [
    "no pain in my back but my left foot is numb since the dive",  # a sign said absent
    "I always dive nitrox. My arm has been numb since the second dive",  # a habit elsewhere
    "my hearing is gone in one ear since we surfaced",  # gone is not over
    "our boat went away and we are in the water with an SMB",
    "the pain won't go away, my elbow since the dive this morning",
    "a moray bit my hand and it's bleeding a lot",  # a bite that bleeds
    "we were left at the dive site by the boat, two of us",
    "my dad is getting sleepier and confused after diving",
    "wat 2 do my buddy is unconscious",  # texting folded
    "she is staggering and slurring since she came up",
    "current is taking us away from the island, the boat looks like a dot",
    "I can't spot my daughter's pink fins anywhere, she was snorkelling next to me",
]

LOOK_ALIKES_OF_THOSE_KINDS = [
    "no pain or tingling after yesterday's dives, just tired. normal?",
    "wat 2 do if ur buddy runs low on air?",
    "the boat left without us because the taxi was late, we're at the jetty. refund?",
    "I left my fins on the boat, who do I call?",
    "my torch went unconscious halfway through the night dive lol",
    "my instructor nearly fainted from laughing at my giant stride",
    "in the rescue skill today we took turns to play the 'unconscious' diver",
    "felt a bit queasy on the boat, fine a minute later",
    "I get a bit numb in cold water, should I buy a thicker suit?",
    "this gear list is giving me a heart attack",
    "Narcosis at 40 m, is that even possible on air?",
    "My old buddy was bitten by a moray in the 90s, are they aggressive?",
]


# Issue 9, fewer false alarms: kinds of look-alike that raised when the detector had not
# seen them, and the reports the same framings must leave alone. New wordings of each kind.
REPORTS_BESIDE_THE_NEW_FRAMINGS = [
    "I always get mild ear pressure but this time there's blood and terrible pain after the dive",
    "my son keeps getting tingling in his hands since we came up",  # one occasion, not a habit
    "the guide is fitting on the deck after the deep dive",
    "I can barely lift my arm since we surfaced",
    "a lionfish stung her and the redness is spreading up her arm",
    "he seized at the safety stop and is dazed now",
    "she was fine before the dive but now she doesn't know where she is",
    "the skipper sailed off and we're alone at the mooring",
]
LOOK_ALIKES_OF_THE_NEW_FRAMINGS = [
    "I keep getting leg cramps when I fin hard, any tips?",  # repetition
    "I get a bit lightheaded when I stand up too fast on deck, dehydration?",  # generic when
    "Nausea from my new blood pressure pills, can I still dive?",  # a medicine
    "he threw up before the dive because of the swell, poor guy",  # before any dive
    "how would you lift an unconscious diver onto a high boat deck?",  # anyone at all
    "The instructor said never to leave an unconscious diver alone, why is that?",
    "the medical form asks if I've ever been unconscious underwater, what do I write?",
    "todays pool session: CESA and mask-off swim, I'm so out of breath lol",
    "Rash guard or a thin wetsuit for Tioman?",
    "how do I avoid getting cold enough for hypothermia on long dives?",
    "my savings account is drowning after this liveaboard haha",
    "I nearly fainted from excitement when the whale shark showed up",
    "felt queasy from the exhaust fumes on the boat, a walk on deck sorted it",
    "my buddy's nosebleed after Saturday's dive dried up within minutes, nothing since",
]
# Malay and Indonesian are read through a glossary (graph/routing/malay.py).
MALAY_AND_INDONESIAN_REPORTS = [
    "tolong, isteri saya tak sedar lepas naik dari dive",
    "Ayah saya sesak napas dan dadanya sakit setelah menyelam",
    "dua penyelam belum muncul, sudah 30 menit",
    "lengan saya kebas sejak naik tadi",
]
MALAY_AND_INDONESIAN_LOOK_ALIKES = [
    "Apa gejala penyakit dekompresi?",
    "Kalau buddy pengsan dalam air, macam mana nak tolong?",
    "Tahun lepas saya pernah pening lepas dive, sekarang dah ok",
]


def test_malay_words_are_read_in_english_and_english_is_left_alone():
    assert to_english("kawan saya pengsan") == "my friend passed out"
    assert to_english("does dan cover a chamber?") == "does dan cover a chamber?"


@pytest.mark.parametrize(
    "message",
    [
        "Everything went fine today, what signs should I watch for tonight?",
        "no symptoms at all after the quick ascent, do I need to do anything?",
        "my computer is showing weird numbers after the battery change, broken?",
        "saw three sharks and a manta today!!",
        "the viz was amazing this morning, 25 m at least",
    ],
)
def test_the_learned_detector_is_held_back_from_precautions_gear_and_sightings(message):
    assert held_back(message, fold(message)) is not None


@pytest.mark.parametrize(
    "message",
    [
        "no pain, but his breathing is getting worse since the dive",
        "a shark bit my buddy's leg, what do we do",
        "we saw a turtle and then lost sight of our son, he was snorkelling",
    ],
)
def test_what_holds_the_learned_detector_back_leaves_reports_alone(message):
    assert held_back(message, fold(message)) is None


# A framing the writer negates or takes back frames nothing (the lead's blind conversation
# set): these reports carry a quiz, drill, exam or joke word only to say it no longer holds.
REPORTS_THAT_TAKE_THE_FRAMING_BACK = [
    "this is not a drill, my student surfaced fast and now her arm is numb",
    "not joking anymore, my buddy's lips are blue and he's gasping",
    "forget the exam stuff, this isn't a quiz: my dad's knees hurt since we came up from 25m",
    "no joke, my husband can't feel his legs after the second dive",
    "it's not hypothetical any more, my friend is dizzy and throwing up after the dive",
    "I'm not asking for the course, it's happening now: my buddy is confused since he surfaced",
]
STILL_FRAMED_WHEN_NOTHING_IS_TAKEN_BACK = [
    "quiz question: a diver surfaces with numb arms, what do you do first?",
    "in the drill today my buddy played the unconscious diver",
    "not a drill question really, just curious: what are the signs of DCS?",
]


# Session 6: the clause reading. A sign that ended, a past anchor, a condition, a post or a
# song frame a message; a present report beside them wins over all of them.
ENDED_PAST_CONDITIONAL_OR_ELSEWHERE = [
    "the numbness in my fingers lasted maybe ten minutes after we surfaced and then cleared "
    "completely, I've been fine all evening",
    "Buddy had a nasty tingling in his hand yesterday arvo, he got checked at the chamber and "
    "they sent him home, no treatment needed",
    "we lost sight of our buddy for a couple of minutes but found him at the anchor line, he "
    "was fine, just a scare",
    "earlier my buddy felt faint on the ladder, sat down, had some water and now he's laughing "
    "and eating lunch",
    "last night I had a pounding headache after 3 dives but slept it off and woke up fine",
    "years back a diver on our boat went missing for 40 minutes and surfaced way down current",
    "back in uni a friend of mine had a seizure at the pool, how common are those",
    "what happens if my buddy goes unconscious at 30m, do I bring him up straight away?",
    "Say my wife starts slurring her words an hour after a dive, is that the bends?",
    "Were I to get bitten by a sea snake off Tioman, where's the nearest antivenom?",
    "Should my kid ever get numb legs after snorkelling, is that something for hospital?",
    "someone in my facebook dive group posted that their buddy had a seizure at depth",
    "there's a song that goes 'I can't breathe underwater' stuck in my head all day",
    "Feeling dizzy and sick since lunch, I think it was the prawns. No diving today.",
]

PRESENT_REPORTS_BESIDE_THOSE_FRAMINGS = [
    "the headache went away earlier but it's come back way worse and my vision is blurry",
    "doctor said it was fine yesterday but today my legs are weak and I can't pee",
    "he got discharged from the clinic yesterday but now his legs are numb again",
    "my buddy has been missing for 40 minutes, the same thing happened last year",
    "I had DCS in March and I think I have it again, my shoulder is aching since the 2nd dive",
    "what happens now?? my buddy is unconscious on the deck",
    "the video call dropped, my husband said his chest hurts after the dive and he's dizzy",
    "he seemed fine at first but now he's coughing pink froth",
    "were drifting away from the boat and nobody sees us",
    "we were left at the reef, boat is gone, it's getting dark",
    "he did a rapid ascent and then passed out a minute after surfacing",
]


def test_a_diver_who_disappeared_is_not_an_episode_that_ended():
    message = "she was taking photos at the back of the group and now she's disappeared"
    assert held_back(message, fold(message)) is None


@pytest.mark.parametrize("message", ENDED_PAST_CONDITIONAL_OR_ELSEWHERE)
def test_an_ended_past_conditional_or_distant_sign_is_framed(message):
    assert not assess(message).is_emergency
    assert held_back(message, fold(message)) is not None


@pytest.mark.parametrize("message", PRESENT_REPORTS_BESIDE_THOSE_FRAMINGS)
def test_a_present_report_wins_over_the_framing_beside_it(message):
    assert assess(message).is_emergency


def test_were_is_read_as_we_are_only_where_no_subject_comes_before_it():
    assert fold("were drifting") == "we are drifting"
    assert fold("we were left") == "we were left"
    assert fold("were i to get bitten").startswith("were i")


# Kinds from emergency_dev_f's first run, in new wordings: a boat accident and a diver left
# at the surface worded plainly; a cold, a question of figures, a parent's plan.
BOAT_ACCIDENTS_AND_LEFT_AT_THE_SURFACE = [
    "a jet ski crashed into our dinghy, my wife is in the water and hurt",
    "the RIB capsized at the reef and one of the students is injured",
    "the dive boat has gone, the two of us are treading water next to the buoy",
    "my buddy is numb after the dive, what do we do if it gets worse?",
    "what do I do if he stops breathing, he is unconscious?",
]
A_COLD_A_FIGURE_OR_A_PLAN = [
    "Got dizzy on the ferry because of a head cold, fine since then. Dive in 4 days, wait?",
    "From what depth do seizures become likely on air, and is nitrox different?",
    "I'm a nervous dad, what's the plan if my son's ear hurts during the try-dive?",
]


@pytest.mark.parametrize("message", BOAT_ACCIDENTS_AND_LEFT_AT_THE_SURFACE)
def test_boat_accidents_and_divers_left_at_the_surface_are_emergencies(message):
    assert assess(message).is_emergency


@pytest.mark.parametrize("message", A_COLD_A_FIGURE_OR_A_PLAN)
def test_a_cold_a_question_of_figures_or_a_plan_is_not(message):
    assert not assess(message).is_emergency


# An episode told to its end in everyday words, a stiff neck, a joke; and the reports that
# look like them.
TOLD_TO_ITS_END = [
    "my ear hurt a bit on the first descent, I went up a metre, equalised and it was fine for "
    "the rest of the dive",
    "I lost my buddy for a minute in the murk today but we both surfaced as planned",
    "felt a bit disoriented at 30m, we went up a few metres and it passed.",
    "my neck is stiff from sleeping on the ferry, no dives yet this week",
    "the skipper joked that the new guy almost drowned in the briefing",
]
REPORTS_THAT_LOOK_LIKE_THEM = [
    "found him but he's floating face down and not breathing",
    "they sent him home from the clinic at lunch but his legs gave way on the stairs just now",
    "it went away for a bit then came back, the tingling is all down my left side now",
    "we both surfaced but my buddy is numb down one side",
    "his body went stiff and he is jerking on the deck",
]


@pytest.mark.parametrize("message", TOLD_TO_ITS_END)
def test_an_episode_told_to_its_end_is_not_an_emergency(message):
    assert not assess(message).is_emergency


@pytest.mark.parametrize("message", REPORTS_THAT_LOOK_LIKE_THEM)
def test_reports_that_look_like_an_ended_episode_are_emergencies(message):
    assert assess(message).is_emergency


PLAIN_WORDS_OF_SIGNS_THE_RULES_LACKED = [
    "buddy missing underwater",
    "he's still shaking and wrapped up, help is coming, what else do we do?",
    "the tender wasn't there when we came up, it's been half an hour and the swell is building",
    "my nose started bleeding on the way up and my sinuses are killing me",
    "a boat went over one of our divers, he's drifting in and out",
]


@pytest.mark.parametrize("message", PLAIN_WORDS_OF_SIGNS_THE_RULES_LACKED)
def test_plain_words_of_signs_are_emergencies(message):
    assert assess(message).is_emergency


def test_a_boat_missed_at_the_jetty_is_travel_trouble():
    assert not assess("the boat wasn't there at the jetty, booking mixup, refund?").is_emergency
    assert not assess("my buddy is missing from my next trip, he's broke").is_emergency


def test_a_collapsing_hull_a_class_exercise_and_a_question_about_anyone_are_not():
    assert not assess("the wreck's hull is collapsing, they closed the penetration").is_emergency
    assert not assess("the instructor made us practise towing an unconscious diver").is_emergency
    assert not assess("How long can someone be unconscious underwater and be revived?").is_emergency
    assert assess("my buddy collapsed on the deck after the wreck dive").is_emergency


def test_divers_still_being_carried_off_are_an_emergency_and_a_drift_told_is_not():
    assert assess("we've been carried past the headland and can't see the boat").is_emergency
    assert assess("we keep getting swept out, the boat is far").is_emergency
    assert not assess("lovely drift dive, we drifted past the point and saw mantas").is_emergency


# A time counted from the dive ("2 hours after diving", "20 min after surfacing") said of
# someone here in the present tense places the state now, whatever question is wrapped round
# it. Reading such times as a story's duration hid a report inside a question.
QUESTIONS_AROUND_A_STATE_TIMED_FROM_THE_DIVE = [
    "should I be worried that my shoulder aches 2 hours after diving?",
    "What does it mean if my vision is blurry an hour after diving?",
    "is it normal that my fingers are tingling 20 minutes after surfacing?",
    "is it ok that my buddy is still dizzy 30 min after we came up?",
    "why is my knee hurting so much 40 min after the dive?",
    "is 2 hours after a dive too late for symptoms? my wrist is tingling",
    "can you get DCS from a 12 m dive? my arm went numb 30 minutes after",
]
THE_SAME_TIMES_IN_A_STORY_OR_A_CONDITION = [
    "years back a diver on our boat went missing for 40 minutes and surfaced way down current",
    "Say my wife starts slurring her words an hour after a dive, is that the bends?",
    "last year my arm was numb for an hour after a dive, it went away by itself",
]


@pytest.mark.parametrize("message", THE_SAME_TIMES_IN_A_STORY_OR_A_CONDITION)
def test_the_same_times_in_a_story_or_condition_place_nothing(message):
    folded = fold(message)
    assert not assess(message).is_emergency and held_back(message, folded), assess(message).reasons


# Framings added yesterday that hid a report said beside them: no diving by one person while
# another dove, a "didn't dive deep", a friend known from the past who is here now, a post by
# someone with us, a clip watched and a sign of one's own, fiction likened and said to be real.
REPORTS_BESIDE_A_FRAMING_THAT_DOES_NOT_HOLD = [
    "no diving today for me but my husband dove this morning and now he can't stand up straight",
    "we didn't dive deep, only 12m, but my daughter is now confused and can't walk straight",
    "my friend from back in uni is here with us and he's just collapsed after the dive",
    "my buddy posted in our chat that he's got a crushing headache after our dive, seeing double",
    "I watched a video about DCS and now I think I have it, my arm feels dead since the dive",
    "It's like in that movie, but real: my buddy is face down and not moving",
    "I know you're supposed to practise this in the course, but my buddy actually passed out",
    "what happens if I drive to the hospital myself, my legs feel weird and heavy since surfacing",
    "should I ever worry about this? right now my knee is swollen and throbbing after the dive",
    "I'm in pain 20 min after surfacing, how do I know if it's the bends?",
    "kid swallowed loads of sea water snorkelling, now sleepy and breathing fast, is it normal??",
]
THOSE_FRAMINGS_WHERE_THEY_HOLD = [
    "Feeling dizzy and sick since lunch, I think it was the prawns. No diving today.",
    "back in uni a friend of mine had a seizure at the pool during a freedive session",
    "someone in my facebook dive group posted that their buddy had a seizure at depth",
    "saw a clip of a diver passing out on the ladder, how do you even help someone like that?",
    "there's a song that goes 'I can't breathe underwater' stuck in my head all day, ha",
    "my feet feel weird in these new fins, should I size up?",
    "we did a rescue drill today but actually nobody was unconscious, it was all role play",
]


# Look-alikes that read their framing: fitness to dive over a condition from one's history,
# a technique asked about, a question asked ahead of time, unaware "of" something, breathless
# on stairs after an illness, jet lag, a week without diving. Written as kinds, with reports
# of the same signs beside them.
FRAMED_LOOK_ALIKES = [
    "I had a seizure as a teenager, none since, can I still learn to dive?",
    "asthma as a kid, fine for years now, is diving ruled out for me?",
    "diagnosed with a heart murmur in 2019, do I need a dive medical before the course?",
    "my wife had a collapsed lung years ago, can she get certified next summer?",
    "my ears ache a little on every descent at 6m, how do I equalise better?",
    "would I get the bends if I did three dives a day for a week?",
    "my instructor is totally unconscious of how loud his briefings are, lol",
    "still a bit out of breath on the stairs since the flu, any advice before my dive trip?",
    "dizzy from jet lag, arrived this afternoon, first dive is in two days",
    "my knees ache after a long hike yesterday, no diving this week, ok for Saturday?",
    "i use air way faster than my buddy, any tips to make a tank last?",
]
REPORTS_BESIDE_THOSE_FRAMINGS = [
    "I had a seizure as a teenager and my buddy is having one right now on the boat",
    "can I still dive tomorrow? my shoulder has ached since this morning's dive, my hand is numb",
    "my ears hurt after the dive, now there's blood and I can't hear on the left, how to equalise?",
    "will he get worse? he is shivering hard and confused since we got out of the water",
    "my buddy is unconscious on the deck after the dive",
]


@pytest.mark.parametrize("message", FRAMED_LOOK_ALIKES)
def test_look_alikes_that_read_their_framing_are_not(message):
    assert not assess(message).is_emergency, assess(message).reasons
    # The learned detector is held back from them too, whatever it scores.
    assert held_back(message, fold(message))


# A question about anyone at all ("for someone", "a panicking diver"), and "a bit" that is no
# bite: look-alikes the rule "a sign plus a diving word" raised. Beside each, the same words
# with someone here.
QUESTIONS_ABOUT_ANYONE = [
    "is it normal for someone to feel tingling 2 hours after diving?",
    "how do you help a panicking diver at the surface?",
    "how do you do rescue breaths for an unconscious diver at the surface?",
    "in a lost buddy situation, how long do you search before surfacing?",
    "my blood pressure is a bit high, do I need a doctor's note for diving?",
]
THE_SAME_WITH_SOMEONE_HERE = [
    "what should I do there's an unconscious diver on the beach?",
    "what do i do with an unconscious diver on our boat?",
    "can you help a panicking diver near me right now?",
    "what do I do with a tired diver who cant breathe properly?",
    "is it normal for someone my age to feel tingling after a dive? my arm is numb",
    "a moray bit my hand, the blood won't stop and it's throbbing",
]


# Said for effect, a gear fault asked about, a headache from the sun: look-alikes of the
# frozen sets' false-alarm kinds (joke, gear term, non-diving cause), written fresh.
SAID_FOR_EFFECT_GEAR_ASKED_OR_SUN = [
    "my buddy drank so much at the dive bar last night he's basically unconscious on the sofa lol",
    "my wallet is bleeding after this liveaboard",
    "the reg keeps breathing wet on exhale, diaphragm issue?",
    "headache from too much sun at the beach today, we only snorkelled for 10 minutes",
]
THE_SAME_SIGNS_REPORTED = [
    "my buddy is unconscious on the sofa after the dive and won't wake up",
    "my reg is breathing wet at 20m and my buddy is far away, what do I do now",
    "bad headache since the dive this morning, it's getting worse and I feel sick",
]


@pytest.mark.parametrize("message", SAID_FOR_EFFECT_GEAR_ASKED_OR_SUN)
def test_said_for_effect_gear_asked_or_sun_is_not_an_emergency(message):
    assert not assess(message).is_emergency, assess(message).reasons
    assert held_back(message, fold(message))


# Divers adrift or left behind, worded plainly; and the boat missed from the jetty.
ADRIFT_OR_LEFT_WORDED_PLAINLY = [
    "been in the water for 90 minutes after the dive, no sign of the boat",
    "two of us floating off the point, the boat motored off to the other group",
    "floating with my buddy, the boat is a tiny speck, what do we do",
    "they forgot to count us back on board and left",
    "my son and I surfaced and we're alone, the boat is gone",
]
A_BOAT_MISSED_ON_LAND = [
    "the boat left the jetty without us this morning, can we join the afternoon trip?",
    "we drifted past the point on the dive but the boat picked us up right away, great dive",
]


# Reports wrapped in the look-alikes' own framings: tips or advice asked, someone's age, a
# gear word with "is that normal?". The framings added for look-alikes must not hold them
# back (the learned detector carries several of them; held_back is what may stop it).
REPORTS_WRAPPED_IN_LOOK_ALIKE_FRAMINGS = [
    "my buddy is acting off since the dive, any advice?",
    "any advice? my friend is breathing really weird after the dive",
    "my 10 year old is coughing and sleepy after snorkelling, what do we do?",
    "my son is 8 and he's shivering and blue after snorkelling, what do I do?",
    "my 12-year-old daughter says her chest feels funny after the dive, should we worry?",
    "computer showed a fast ascent and my elbow hurts since, is that normal?",
    "my regulator free flowed and I shot up from 20m, my chest is tight, is that a reg issue?",
    "my computer says I missed deco and my shoulder aches, what's the problem?",
]


@pytest.mark.parametrize("message", REPORTS_WRAPPED_IN_LOOK_ALIKE_FRAMINGS)
def test_reports_wrapped_in_look_alike_framings_are_not_held_back(message):
    assert held_back(message, fold(message)) is None, held_back(message, fold(message))


# Session 9: words of a sign said of something else, each beside a report of the same sign.
CONFUSED_BY_A_CHOICE = [
    "Confused: Rescue Diver vs Stress and Rescue, which card do I need?",
    "so confused about the levels, 18m vs 30m, which cert gives which depth?",
    "confused about which course is better for me, SSI or PADI?",
]
A_PETS_TROUBLE = [
    "my dog keeps throwing up since this morning, what should I do?",
    "our cat is wobbly and vomiting, should we see a vet tonight?",
]
THE_SAME_SIGNS_OF_A_PERSON = [
    "my buddy is confused about where he is since the dive",
    "he seems confused, doesnt know which one is his tank, we surfaced 10 min ago",
    "my dog was fine but I keep throwing up since the second dive",
    "we got back from the dive with the dog, now my son is vomiting and dizzy",
]


@pytest.mark.parametrize("message", CONFUSED_BY_A_CHOICE + A_PETS_TROUBLE)
def test_confused_by_a_choice_or_a_pets_trouble_is_not_an_emergency(message):
    assert not assess(message).is_emergency
    assert held_back(message, fold(message)) is not None


def test_a_way_between_places_is_travel_but_the_way_back_from_the_water_is_not():
    travel = "how do we get from Male out to Ari?"
    assert talks_of_travel(fold(travel))
    assert held_back(travel, fold(travel)) == "framed as talk of travel"
    for message in (
        "current took us off the reef, how do we get back to the boat?",
        "we are drifting, how do we get from here to the boat?",
    ):
        assert held_back(message, fold(message)) is None


# Kinds emergency_dev_i found (after its blind figures were recorded), in other words.
MISSING_ADRIFT_SKIN_AND_WOUNDS_WORDED_PLAINLY = [
    "two of the group are unaccounted for since the drift, crew searching",
    "headcount on the boat is one short, we've checked twice",
    "no sign of his smb anywhere and it's been 15 minutes",
    "being swept out past the headland, can't kick against the current",
    "can't swim against the tide, I'm getting weaker, buddy next to me",
    "purple patches on my chest that weren't there before the dive",
    "red blotches spreading on my back after the second dive, is it just sea lice?",
    "gash on his leg from the prop, the bleeding won't stop",
    "i'm at 20m with 30 bar left",
]
MEDIA_TRAINING_HABIT_AND_CONDITIONS = [
    "Saw the headline 'diver missing off Tioman' this morning, is it safe to go there in May?",
    "the DM staged an unconscious diver for our rescue class, how do you bring one up?",
    "I usually surface with 40 bar, how can I make my air last longer?",
]


# Session 10: kinds found in emergency_dev_j's misses, written here in other words.
A_BREATH_A_THROB_OR_A_BOAT_IN_DISTRESS = [
    "my chest hurts every time i breathe in, since we got back on the boat",
    "my buddy winces every time he swallows and his chest hurts, we surfaced 20 min ago",
    "is it normal for a knee to throb after a dive? mine is really painful now and swollen",
    "our dive boat is taking on water and the pump has stopped, we are 5 km out",
    "there's a fire on the boat, smoke everywhere, everyone is on the top deck",
]
NOT_A_BOAT_IN_DISTRESS_OR_A_SIGN_NOW = [
    "what should we do if the boat is sinking?",
    "we watched a documentary about a liveaboard fire last year",
    "my ears hurt every time I dive, is that normal?",
    "liveaboard prices are sinking in price this season, any deals?",
]


# Session 11: a cause someone guesses, denies or hopes for frames nothing; signs in plain words.
REPORTS_WITH_A_CAUSE_GUESSED_AND_PLAIN_SIGNS = [
    "my dad came up from his dive 40 min ago and he's slurring, he thinks it's just from the sun",
    "we surfaced half an hour ago and my buddy keeps vomiting, I don't think it's seasickness",
    "my wife says her shoulder ache is from carrying the tanks but it started after the dive",
    "since the dive my head feels like it is going to explode",
    "my buddy keeps asking the same question over and over since we got back on the boat",
    "we did a fast ascent and now his voice sounds croaky and his chest is sore",
    "breathing feels like breathing through a pillow since we surfaced",
    "student on deck having shaking fits after the second dive",
]
# Look-alikes of the kinds the rules raised in session 11: dreams, shows, heard-of stories,
# skills of a course, fears, wondering what one would do, figures of speech, a scare
# explained, other causes, pets, things that drift off or go missing.
LOOK_ALIKES_OF_SESSION_11 = [
    "weird dream last night my buddy was drowning, should I be worried about my trip",
    "watched a cartoon where a diver passes out, my kid is scared now",
    "heard about a diver who collapsed on a boat in Egypt, how common is that?",
    "practice for my rescue course tomorrow: the unresponsive diver at the surface skill, tips?",
    "my son is terrified of drowning, is snorkelling a good first step?",
    "I keep wondering what I would do if my buddy passed out on the boat",
    "my brain is fried from reading the deco theory, any simpler book?",
    "thought my buddy had gone missing, turns out he was at the back of the group",
    "I feel sick from the taxi ride to the harbour, should I still get on the boat?",
    "our dog got stung by a jellyfish at the beach and now he is limping",
    "my mask drifted away at the surface, where can I rent one?",
    "my buddy's computer went missing on the boat, can I report it?",
]


# Session 12: gear cared for beside a sign reported now (the sign is the diver's).
REPORTS_BESIDE_GEAR_CARE = [
    "my computer flooded so we guessed the stops and came up fast, now my arm is numb",
    "torch died at 25m and we bolted up, my knee hurts a lot since we surfaced, is it fixable?",
]
GEAR_CARE_ALONE = [
    "my camera housing flooded on the last dive, can it be repaired?",
    "the strobe died after the night dive, worth fixing or should I replace it?",
]

# Session 12, emergency_dev_l's kinds (fixed after its blind aggregate): "running low on air"
# is no jog; someone not back on board is missing; a story's happy end ("now she loves it")
# places nothing now.
RUNNING_LOW_OR_NOT_BACK_ON_BOARD = [
    "my buddy raced to the top after running low on air, his speech is slurred",
    "back at the dock and one of our students never came back on board at the second site",
    "two of the snorkellers didn't get back on the boat, we're already halfway home",
]
A_STORY_WITH_A_HAPPY_END = [
    "my son panicked at the surface on his first snorkel last summer and now he loves it",
    "I got dizzy on a dive two years ago and now I enjoy every dive, any tips for Komodo?",
]
SORE_FROM_RUNNING = ["my legs are numb and sore from running this morning, no dive yet, ok to go?"]

# Session 12, conversations_dev11's kinds (read after its blind aggregate): a technique asked
# beside sore ears, "when I'm going down" (the descent) and a follow-up opening "and if it…".
A_TECHNIQUE_OR_THE_DESCENT_ASKED = [
    "on today's dive my ears hurt on the way down and I can't equalise, what technique works?",
    "and if it keeps hurting when I'm going down, should I abort the dive?",
    "and if it doesn't clear at 5m what do I do?",
]
STILL_SINKING_OR_HURT_AFTER = [
    "my ears hurt since we surfaced and there is blood, which technique should I have used?",
    "help we are going down fast and can't stop",
]

# Session 13, emergency_dev_m's kinds (read after its blind aggregate): everyday words for
# vomiting, unsteadiness, memory and a weak leg; out of the water said plainly; a harmless
# cause guessed in texting ("prob"); a story told by its weekday, or in the pluperfect.
SIGNS_IN_EVERYDAY_WORDS = [
    "my wife has been sick twice since she climbed back on board",
    "since I got out I'm being sick and feel wobbly, prob just the swell",
    "after the dive my dad keeps forgetting where he put things, should we worry?",
    "he's dragging his left leg since the last dive, what do we do",
]
PAST_BY_ITS_WEEKDAY = [
    "last Sunday my buddy went missing for ten minutes, everyone was fine, what reel should I buy?",
    "we'd just surfaced when we lost sight of the boat for a bit in 2019, how do SMBs work?",
]

# Session 15, emergency_dev_n's kinds (read after its blind aggregate), in other words: a
# harmless cause only asked ("is that from ...?"); back on any boat or ashore is after the
# dive; a sign that has not ended is now, whatever plan is told beside it; marble-like skin;
# words that will not come. And: a role held now ends a story; a quiz's answer asked for.
SIGNS_ASKED_ABOUT_OR_STILL_THERE = [
    "blurry vision since we climbed back onto the speedboat, could that be the salt?",
    "booking Bali for March, what's the visa like? also my wife dived Tulamben on Friday and "
    "her knee still hasn't stopped aching",
    "my son has marbling on his back since we got back to the hotel",
    "my husband is struggling to find his words since the second dive",
]
# The s14 bank's missing-diver kind, below its floor with its kind unseen: overdue told
# plainly.
OVERDUE_TOLD_PLAINLY = [
    "my wife is overdue from her shore dive, she said an hour and it's been two",
    "Still not back. My son's not back. He was meant to be up 25 minutes ago",
    "lost my buddy in the murk, I'm on the surface and he's nowhere",
    "we got separated at 12 metres 10 minutes ago and I can't see her bubbles",
]
NOT_OVERDUE = [
    "my regulator is overdue for a service, where can I get it done in Bali?",
    "we got separated on a dive last year, how do buddy teams avoid that?",
]
A_ROLE_NOW_OR_A_QUIZ = [
    "years back my buddy passed out on a deep dive, he recovered and now he's an instructor",
    "what is the correct answer here: 'a diver is unresponsive at the surface, first step?'",
]

# Every kind of report above, by what the tests once said of it: each must be raised.
REPORTS = {
    "ears hurt after the dive, sinking now": STILL_SINKING_OR_HURT_AFTER,
    "running low on air, or not back on board": RUNNING_LOW_OR_NOT_BACK_ON_BOARD,
    "a sign reported beside gear cared for": REPORTS_BESIDE_GEAR_CARE,
    "a current problem": EMERGENCIES + QUESTION_THEN_REPORT,
    "a report is not framed away by words elsewhere in it": REPORTS_THE_FRAMINGS_MUST_NOT_HIDE,
    "reports beside the new framings": REPORTS_BESIDE_THE_NEW_FRAMINGS
    + MALAY_AND_INDONESIAN_REPORTS,
    "a framing taken back does not hide the report": REPORTS_THAT_TAKE_THE_FRAMING_BACK,
    "a state timed from the dive, in a question": QUESTIONS_AROUND_A_STATE_TIMED_FROM_THE_DIVE,
    "a report beside a framing that does not hold": REPORTS_BESIDE_A_FRAMING_THAT_DOES_NOT_HOLD,
    "reports beside those framings": REPORTS_BESIDE_THOSE_FRAMINGS,
    "the same words with someone here": THE_SAME_WITH_SOMEONE_HERE,
    "the same signs reported": THE_SAME_SIGNS_REPORTED,
    "divers adrift or left worded plainly": ADRIFT_OR_LEFT_WORDED_PLAINLY,
    "the same signs of a person": THE_SAME_SIGNS_OF_A_PERSON,
    "missing, adrift, skin, wounds, plainly": MISSING_ADRIFT_SKIN_AND_WOUNDS_WORDED_PLAINLY,
    "each breath, a throb, a boat in distress": A_BREATH_A_THROB_OR_A_BOAT_IN_DISTRESS,
    "a guessed cause, plain signs": REPORTS_WITH_A_CAUSE_GUESSED_AND_PLAIN_SIGNS,
    "signs in everyday words": SIGNS_IN_EVERYDAY_WORDS,
    "a sign asked about or still there": SIGNS_ASKED_ABOUT_OR_STILL_THERE,
    "overdue told plainly": OVERDUE_TOLD_PLAINLY,
    "those framings leave reports alone": [
        # (A dream as a simile is a sign: dazed.)
        "I feel like I'm in a dream and confused since the last dive, what do I do",
        # (A real fear beside a report now.)
        "I'm scared, my buddy is not breathing",
        # (A person carried off, not a thing.)
        "my fins came off and I'm drifting away from the boat",
    ],
}
# Every kind of look-alike above, by what the tests once said of it: none may be raised.
LOOK_ALIKES = {
    "a technique or the descent asked": A_TECHNIQUE_OR_THE_DESCENT_ASKED,
    "a story with a happy end, sore from a run": A_STORY_WITH_A_HAPPY_END + SORE_FROM_RUNNING,
    "gear cared for": GEAR_CARE_ALONE,
    "questions past events and look alikes": NOT_EMERGENCIES + QUESTION_THROUGHOUT,
    "look alikes of the new kinds": LOOK_ALIKES_OF_THOSE_KINDS,
    "look alikes of the new framings": LOOK_ALIKES_OF_THE_NEW_FRAMINGS
    + MALAY_AND_INDONESIAN_LOOK_ALIKES,
    "a framing that stands still frames": STILL_FRAMED_WHEN_NOTHING_IS_TAKEN_BACK,
    "those framings where they hold": THOSE_FRAMINGS_WHERE_THEY_HOLD,
    "a question about anyone": QUESTIONS_ABOUT_ANYONE,
    "a boat missed on land or a drift that ended": A_BOAT_MISSED_ON_LAND,
    "a headline a staged casualty or a habit": MEDIA_TRAINING_HABIT_AND_CONDITIONS,
    "a boat asked about watched or priced and a habit": NOT_A_BOAT_IN_DISTRESS_OR_A_SIGN_NOW,
    "look alikes of session 11": LOOK_ALIKES_OF_SESSION_11,
    "the past by its weekday or the pluperfect": PAST_BY_ITS_WEEKDAY,
    "a role held now or a quiz": A_ROLE_NOW_OR_A_QUIZ,
    "gear overdue or a separation past": NOT_OVERDUE,
}


def by_kind(table: dict[str, list[str]]) -> list:
    return [
        pytest.param(message, id=f"{kind}: {message}")
        for kind, messages in table.items()
        for message in messages
    ]


@pytest.mark.parametrize("message", by_kind(REPORTS))
def test_a_report_of_something_happening_now_is_an_emergency(message):
    verdict = assess(message)
    assert verdict.is_emergency, verdict.reasons


@pytest.mark.parametrize("message", by_kind(LOOK_ALIKES))
def test_a_look_alike_is_not_an_emergency(message):
    verdict = assess(message)
    assert not verdict.is_emergency, verdict.reasons


@pytest.mark.parametrize(
    "message",
    [
        # A diver's experience told in a conversation: a course's name is no water.
        "my sister only has open water and 15 dives",
        "bf holds a rescue cert, 60 dives",
        # The way to a place asked from the place you start at, in either order.
        "how do we get there from the airport",
        "how can we get to the marina from our hotel?",
    ],
)
def test_experience_told_and_a_way_between_places_hold_the_detector_back(message):
    assert held_back(message, fold(message)) is not None


@pytest.mark.parametrize(
    "message",
    [
        "my buddy only has open water and he hasn't come up",
        "how do we get back to the boat from the reef, my buddy is exhausted",
        "she has open water and since the dive her shoulder hurts",
    ],
)
def test_experience_or_a_way_beside_a_sign_leaves_the_detector_free(message):
    assert held_back(message, fold(message)) is None
