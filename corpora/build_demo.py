"""Build the Lumen Mobile demo corpora in ``cxtext/demo/`` from hand-written text.

Every verbatim, review and post below (and in ``survey_verbatims.txt``) was written by
hand for this fictional company, with its scores chosen to agree with its text. This
script only does the clerical part with a fixed seed: response ids, days within a
month, survey channels, untagged plan/region values, customer ids, tweet ids. Running
it again gives byte-identical files::

    python corpora/build_demo.py

The interview transcripts in ``cxtext/demo/interviews/`` were written by hand as text;
their cue timestamps were laid out from word counts (about 2.5 words a second).
"""

from __future__ import annotations

import csv
import json
import random
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "cxtext" / "demo"  # package data, so an installed cxtext can run `cxtext demo`
SEED = 2026
YEAR = 2026
MONTHS = ["jun", "jul", "aug", "sep", "oct", "nov"]
MONTH_NUMBER = {name: number for number, name in enumerate(MONTHS, start=6)}
DAYS_IN_MONTH = {6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30}
REGIONS = {"North": 25, "Midlands": 20, "South": 30, "Scotland": 13, "Wales": 12}
PLANS = {"Prepaid": 18, "Essential": 35, "Unlimited": 35, "Business": 8}
CHANNELS = {"email": 55, "sms": 20, "web": 25}

SURVEY_COLUMNS = [
    "Response ID", "Response Date", "Customer ID", "Plan", "Region", "Touchpoint", "Channel",
    "NPS", "CSAT", "CES", "Reason for score", "What could we improve?",
]


def weighted(rng: random.Random, weights: dict[str, int], exclude: tuple[str, ...] = ()) -> str:
    names = [name for name in weights if name not in exclude]
    return rng.choices(names, weights=[weights[name] for name in names])[0]


def parse_survey(path: Path) -> list[dict]:
    """The hand-written responses, one dict each (see the file's header for the format)."""
    responses, touchpoint = [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("## "):
            touchpoint = line[3:].strip()
            continue
        if not line.strip() or line.startswith("#"):
            continue
        head, reason, improve = (part.strip() for part in line.split("|"))
        when, nps, csat, ces, *tags = head.split()
        if when == "*":
            months = MONTHS
        elif "-" in when:
            first, last = when.split("-")
            months = MONTHS[MONTHS.index(first): MONTHS.index(last) + 1]
        else:
            months = [when]
        response = {"line": number, "touchpoint": touchpoint, "months": months, "nps": int(nps),
                    "csat": int(csat), "ces": int(ces), "reason": reason, "improve": improve,
                    "region": None, "plan": None, "link": None}
        for tag in tags:
            if tag in REGIONS:
                response["region"] = tag
            elif tag in PLANS:
                response["plan"] = tag
            elif tag.startswith("#"):
                response["link"] = tag
            else:
                raise ValueError(f"line {number}: unknown tag {tag!r}")
        assert 0 <= response["nps"] <= 10 and 1 <= response["csat"] <= 5 and 1 <= response["ces"] <= 7, number
        assert reason, f"line {number}: the reason is always filled"
        responses.append(response)
    return responses


def build_survey(rng: random.Random) -> list[dict]:
    responses = parse_survey(HERE / "survey_verbatims.txt")
    # Fixed months first, then each flexible response goes to its least-filled allowed month.
    load = {month: 0 for month in MONTHS}
    for response in responses:
        if len(response["months"]) == 1:
            response["month"] = response["months"][0]
            load[response["month"]] += 1
    # Flexible responses are spread evenly over their months within each touchpoint and
    # NPS group, so that monthly NPS moves only where the story pins responses to a month.
    def group(response: dict) -> str:
        return "promoter" if response["nps"] >= 9 else "passive" if response["nps"] >= 7 else "detractor"

    group_load: dict[tuple, int] = {}
    touchpoint_load: dict[tuple, int] = {}
    for response in responses:
        if len(response["months"]) == 1:
            key = (response["touchpoint"], response["month"])
            touchpoint_load[key] = touchpoint_load.get(key, 0) + 1
            key = (response["touchpoint"], group(response), response["month"])
            group_load[key] = group_load.get(key, 0) + 1
    flexible = [r for r in responses if len(r["months"]) > 1]
    rng.shuffle(flexible)
    for response in flexible:
        def fill(month: str) -> tuple[int, int, int]:
            return (group_load.get((response["touchpoint"], group(response), month), 0), load[month],
                    touchpoint_load.get((response["touchpoint"], month), 0))

        fewest = min(fill(m) for m in response["months"])
        response["month"] = rng.choice([m for m in response["months"] if fill(m) == fewest])
        load[response["month"]] += 1
        key = (response["touchpoint"], response["month"])
        touchpoint_load[key] = touchpoint_load.get(key, 0) + 1
        key = (response["touchpoint"], group(response), response["month"])
        group_load[key] = group_load.get(key, 0) + 1

    customers: dict[str, str] = {}
    used: set[str] = set()
    rows = []
    for response in responses:
        month = MONTH_NUMBER[response["month"]]
        day = rng.randint(1, DAYS_IN_MONTH[month])
        # Installation is strong except in the North: untagged installs are elsewhere.
        exclude = ("North",) if response["touchpoint"] == "Installation" else ()
        region = response["region"] or weighted(rng, REGIONS, exclude)
        # Prepaid customers get no bills and no broadband installs.
        no_prepaid = ("Prepaid",) if response["touchpoint"] in ("Billing", "Installation") else ()
        plan = response["plan"] or weighted(rng, PLANS, no_prepaid)
        returning = customers.get(response["link"]) if response["link"] else None
        if returning:  # a returning customer keeps the segments of their first answer
            customer = returning
            first = next(r for r in rows if r["Customer ID"] == customer)
            region, plan = first["Region"], first["Plan"]
        else:
            customer = f"LM{rng.randint(100000, 999999)}"
            while customer in used:
                customer = f"LM{rng.randint(100000, 999999)}"
            used.add(customer)
            if response["link"]:
                customers[response["link"]] = customer
        rows.append({
            "Response ID": "", "Response Date": f"{YEAR}-{month:02d}-{day:02d}", "Customer ID": customer,
            "Plan": plan, "Region": region, "Touchpoint": response["touchpoint"],
            "Channel": weighted(rng, CHANNELS), "NPS": response["nps"], "CSAT": response["csat"],
            "CES": response["ces"], "Reason for score": response["reason"],
            "What could we improve?": response["improve"],
        })
    rows.sort(key=lambda row: (row["Response Date"], row["Customer ID"]))
    for number, row in enumerate(rows, start=1):
        row["Response ID"] = f"R{YEAR}-{number:04d}"
    return rows


# (date, product, rating, helpful votes, reviewer, title, body)
PRODUCTS = {"I": "Lumen app (iOS)", "A": "Lumen app (Android)", "B": "Lumen broadband", "S": "Lumen SIM"}
REVIEWS = [
    ("2026-06-03", "I", 5, 12, "megan.r", "So easy", "Sorted my bill query in two minutes without calling anyone. This is how every app should work."),
    ("2026-06-05", "A", 5, 4, "Gaz77", "Does what it says", "Check usage, pay bill, change plan. All quick. No complaints."),
    ("2026-06-07", "A", 4, 1, "Liam", "Good", "Good app, wish it had widgets"),
    ("2026-06-09", "B", 5, 9, "Helen Price", "Fantastic engineer", "Engineer turned up on time, ran the cable neatly and explained the router settings. Getting 500Mb as promised."),
    ("2026-06-12", "S", 4, 2, "jk_travels", "Good value SIM", "Decent coverage in town, a bit patchy on the train. Price is good for unlimited."),
    ("2026-06-15", "I", 4, 3, "Ollie", "Nice but logs me out", "Really clean app. Only annoyance is it logs me out every few days and I have to set up Face ID again."),
    ("2026-06-17", "B", 3, 6, "Janet", "Lovely engineer, awful wait", "Lovely engineer but the wait for an install date was awful, nearly four weeks."),
    ("2026-06-20", "A", 5, 7, "priya_s", "Plan change in 2 mins", "Upgraded to Unlimited in the app in literally two minutes. Took longer to make a cup of tea ☕"),
    ("2026-06-22", "B", 2, 18, "Mark T (Leeds)", "Engineer no-show x2", "Booked the install for a Tuesday, took the day off, nobody came. Rebooked, same again. Third time he turned up and was great, but I lost two days' holiday."),
    ("2026-06-25", "I", 5, 3, "Chen", "Sorted first time", "Had a question about my contract end date, found it in the app, sorted first time with no calls."),
    ("2026-06-28", "S", 5, 1, "Bex", "Switch was painless", "Kept my number, SIM arrived next day, ported over by lunchtime. Easy peasy."),
    ("2026-07-02", "I", 5, 6, "DanW", "Best carrier app", "Usage alerts, roaming bundles, bill PDFs, all there. Best network app I've used."),
    ("2026-07-04", "A", 3, 2, "sam", "Ok", "Works fine most of the time. The chat feature is slow to get a reply."),
    ("2026-07-06", "S", 2, 5, "Bob", "Poor in my area", "Signal drops in my village. Support told me to restart my phone. Thanks, never would have thought of that."),
    ("2026-07-08", "B", 4, 5, "Fiona from Fife", "Good speeds", "Fast and reliable. Lost a star because the router is huge and ugly."),
    ("2026-07-11", "I", 5, 0, "anon", "👍👍👍", "Love it"),
    ("2026-07-13", "B", 5, 2, "Sara", "Self install", "Self install kit was plug and play. Online in 10 mins."),
    ("2026-07-15", "S", 3, 3, "Rhys J", "Signal ok, roaming charges not", "Signal is fine at home in Swansea. Got charged for roaming in Spain when the plan says EU roaming is included, took two calls to get it back."),
    ("2026-07-19", "A", 4, 2, "tomasz", "Good app", "Simple to use. Would like dark mode pls"),
    ("2026-07-21", "A", 5, 0, "Harry", "Top", "Top app"),
    ("2026-07-23", "B", 5, 11, "Carol B", "Engineer went above and beyond", "Our engineer Sam moved the socket to the living room and fixed a wiring fault from years ago. Couldn't fault him."),
    ("2026-07-27", "I", 4, 1, "lucyloo", "Handy", "Topping up is quick. Would be 5 stars if it remembered my card."),
    ("2026-07-30", "A", 5, 3, "K. Osei", "Self service done right", "Reported a fault, booked an engineer and got a text confirmation, all without phoning. Impressed."),
    ("2026-08-02", "S", 2, 6, "Jules", "Customer service let it down", "SIM is fine but when I had a problem with my PUK I was on hold 40 minutes and transferred twice."),
    ("2026-08-05", "B", 3, 4, "Andrew", "Decent once installed", "Install was rescheduled once but the second visit was fine. Speeds dip in the evenings."),
    ("2026-08-07", "I", 4, 2, "Nina", "Nearly perfect", "Everything's easy except cancelling add ons, which still needs a phone call."),
    ("2026-08-09", "I", 5, 9, "hannah_m", "Roaming bundle in seconds", "Added an EU roaming bundle at the airport in about 30 seconds. Brilliant."),
    ("2026-08-13", "A", 4, 0, "Pete", "Solid", "No crashes, quick to load, bill is clear."),
    ("2026-08-15", "B", 1, 24, "Craig (Newcastle)", "No show, no call", "Engineer didn't turn up. No text, no call. Rang and was told the job was cancelled 'by the system'. Rebooked for two weeks later."),
    ("2026-08-18", "S", 4, 2, "Naz", "Good network", "Cheap and the 5G is quick in Birmingham."),
    ("2026-08-21", "I", 3, 27, "curious_dev", "Input validation?", "Set my nickname in the profile to <script>alert(1)</script> to see what happens and the app just saved it. Nothing popped up, but someone should check the website too. App itself is fine otherwise."),
    ("2026-08-25", "B", 5, 3, "Mo", "Fast and tidy", "Fast install, tidy job, great speeds. Recommended."),
    ("2026-08-27", "S", 4, 1, "Abi", "Solid", "Good data speeds, friendly store staff."),
    ("2026-08-29", "A", 5, 2, "ellie", "easy peasy", "easiest app ive used for a phone company tbh"),
    ("2026-09-02", "S", 1, 41, "Graham K", "Billed twice", "After the 'system upgrade' I've been billed twice for September. 3 calls, an hour on hold each time, still not refunded. Avoid."),
    ("2026-09-05", "B", 2, 15, "Lisa", "Bill wrong since migration", "Broadband itself is fine but my bill went from £32 to £96 with no explanation. Customer service just keep saying they're aware of the issue."),
    ("2026-09-08", "I", 4, 1, "Jen", "Still good", "App is still good, but the bill page says 'bill unavailable' at the moment."),
    ("2026-09-10", "A", 2, 8, "rob_h", "Bill section broken", "Can't see my bill in the app since they changed their billing system. Had to call, waited 35 mins."),
    ("2026-09-12", "I", 2, 10, "Gareth", "Bill missing", "Bill hasn't shown in the app for 3 weeks. Chat says call, call says use chat. Round and round."),
    ("2026-09-14", "S", 1, 33, "Steph", "Charged for a plan I don't have", "Moved onto the new billing system and now I'm being charged for Unlimited when I'm on Essential. Transferred 4 times, nobody could fix it."),
    ("2026-09-17", "B", 4, 2, "Iain (Dundee)", "Good broadband", "No issues with speed. Engineer was friendly."),
    ("2026-09-20", "I", 5, 1, "Amira", "Quick and simple", "Paid my bill, done. Simple."),
    ("2026-09-24", "S", 2, 12, "David P", "Great network, terrible billing", "Coverage is excellent. Billing since September is a disaster and getting through to anyone takes forever."),
    ("2026-09-27", "A", 3, 0, "N", "Meh", "Fine but chat keeps saying 'high volumes'"),
    ("2026-09-29", "B", 3, 4, "Marie", "Mixed", "Super fast broadband. Shame the customer service is so slow – 45 min hold to query my bill."),
    ("2026-10-01", "I", 1, 56, "Chloe", "Crashes on launch since update", "Updated this morning and now the app crashes as soon as it opens. iPhone 14, latest iOS. Reinstalled twice, no change."),
    ("2026-10-02", "A", 1, 48, "Big Steve", "Won't open", "New update = app won't open. Samsung S23. Well done."),
    ("2026-10-03", "A", 1, 22, "kaz", "Crashes on launch since the October update", ""),
    ("2026-10-04", "S", 1, 62, "Dan R", "Avoid until they fix billing", "Charged twice, transferred 5 times, told 3 different stories. Moving my number elsewhere."),
    ("2026-10-05", "I", 2, 19, "Marcus", "Was 5 stars", "This was the best thing about Lumen. Since the update it crashes whenever I open the bill page. Had to phone to pay, 30 minute wait."),
    ("2026-10-07", "B", 1, 37, "Sophie W", "Still double charged", "Second month of being charged twice. Promised a call back three times. Nothing. Raised a complaint, no reply."),
    ("2026-10-08", "A", 2, 9, "joe", "crashy", "keeps crashing after update, chat inside app crashes too so cant even complain lol"),
    ("2026-10-10", "I", 1, 14, "Ana García", "No funciona", "Desde la actualización la aplicación se cierra sola. No puedo pagar la factura ni hablar con nadie. Muy decepcionada."),
    ("2026-10-12", "S", 3, 4, "Will", "Network fine, everything else not", "No complaints about signal. The app is broken and billing is a mess right now."),
    ("2026-10-14", "B", 5, 6, "Gwen", "Engineer was a star", "Despite everything else going on at Lumen, our installation was perfect. Engineer was on time and very helpful."),
    ("2026-10-15", "A", 1, 11, "Tariq", "Logged out and can't get back in", "After the update it logged me out, now it says my password is wrong. Reset it 3 times. Support says reinstall. I have. 🙄"),
    ("2026-10-17", "I", 2, 5, "M. Clarke", "Please fix", "Crashes on my iPad every time. Website works but it's fiddly."),
    ("2026-10-19", "S", 2, 7, "Kelly", "Double charged AND app broken", "Great timing Lumen, the one month your bills are wrong is the month the app stops working so I can't check them. Genius."),
    ("2026-10-21", "B", 3, 3, "Tom H", "Speeds good, support slow", "Broadband is quick. Had a dropout issue and it took 3 calls to get someone to run a line test."),
    ("2026-10-23", "A", 4, 2, "lina", "Works for me", "No crashes on my Pixel, not sure what everyone else is seeing."),
    ("2026-10-25", "I", 1, 16, "Rachel", "Deleted my card", "Update wiped my saved card and the app crashes when I try to add it back."),
    ("2026-10-26", "A", 1, 7, "Yas", "Still broken", "Three weeks since the update and the app still crashes on my Android. Is anyone testing these?"),
    ("2026-10-28", "B", 2, 21, "Neil (Sheffield)", "3 engineer visits", "Engineer visited 3 times before the broadband worked. First a no-show, second couldn't find the cabinet, third fixed it in 20 minutes. Nice bloke, terrible scheduling."),
    ("2026-10-30", "S", 4, 1, "Ayesha", "Good coverage", "Never drops, good price."),
    ("2026-11-01", "B", 4, 3, "Kev", "Engineer good", "Quick install, engineer knew his stuff, speed test says 520Mb."),
    ("2026-11-02", "I", 3, 6, "Chloe", "Better, not perfect", "The November update stopped the crash on launch. Bill page still slow."),
    ("2026-11-04", "A", 4, 8, "Big Steve", "Fixed", "Fair play, the latest update fixed the crash. Back to sorting things in a couple of taps."),
    ("2026-11-06", "B", 2, 9, "Sophie W", "Refund finally", "Refund for the double charge finally arrived, two months later. Broadband is fine but I'm tired of chasing."),
    ("2026-11-08", "S", 5, 2, "Hamish", "Switched from a big network", "Cheaper, better signal in the Highlands than my old network, and the switch took 10 minutes."),
    ("2026-11-10", "I", 5, 4, "Zoe", "Back to its best", "Crash fixed, everything quick again. Renewed my plan in the app in under two minutes."),
    ("2026-11-12", "A", 3, 3, "Dom", "Still crashes sometimes", "Less crashy than October but still falls over on the bill page."),
    ("2026-11-14", "B", 4, 1, "Karen", "Good service", "Install was smooth. Billing had a wobble in October but it's right now."),
    ("2026-11-16", "S", 1, 13, "Paul M", "Still waiting", "Still waiting for my refund from September. Explained the whole story again to a new agent yesterday. Fourth time."),
    ("2026-11-18", "I", 5, 2, "Fatima", "Lovely app", "Simple and clear, usage and bill in one place."),
    ("2026-11-19", "S", 2, 8, "Lou", "Support maze", "Needed a replacement SIM. App said do it in store, store said do it online, online said call. Took a week."),
    ("2026-11-20", "A", 5, 1, "Jay", "👌", "quick easy done"),
    ("2026-11-22", "B", 5, 5, "Owen", "Brilliant engineer", "Engineer, Raj, was brilliant – fixed the socket and set up the mesh wifi for us."),
    ("2026-11-24", "S", 3, 2, "Emma", "OK", "Signal fine, price went up though."),
    ("2026-11-25", "I", 4, 1, "Ben", "Good again", "Back to being easy to use after the fix. Would like dark mode."),
    ("2026-11-27", "A", 2, 4, "Chris", "Can't change address", "Why can't I change my address in the app? Had to call and wait 25 mins."),
]


def build_reviews() -> list[dict]:
    reviews = []
    for number, (date, product, rating, helpful, reviewer, title, body) in enumerate(sorted(REVIEWS), start=1):
        reviews.append({"review_id": f"LR-{number:04d}", "title": title, "body": body, "rating": rating,
                        "product": PRODUCTS[product], "helpful_votes": helpful, "date": date, "reviewer": reviewer})
    return reviews


# Posters: key -> (username, display name).
USERS = {
    "amy": ("amy_writes", "Amy W"), "raj": ("rajpatel84", "Raj Patel"), "ciaran": ("ciaran_mcr", "Ciarán"),
    "beth": ("bethanyjade", "Beth 🌻"), "tom": ("tomtravels", "Tom"), "kev": ("kevinmoss_", "Kevin Moss"),
    "leeds": ("jonno_leeds", "Jon (Leeds)"), "sue": ("suebee61", "Sue B"), "marc": ("marcus_f", "Marcus F"),
    "gwen": ("gwenllian_c", "Gwenllian"), "lewis": ("lewis_g", "Lewis G"), "nat": ("natstar", "Natalie"),
    "paddy": ("paddy_ob", "Paddy O'Brien"), "ellie": ("ellie_k", "Ellie K"), "omar": ("omar_h", "Omar H"),
    "tash": ("tashmakes", "Tash"), "hugh": ("hughmac", "Hugh MacLeod"), "ruth": ("ruth_t", "Ruth T"),
    "dan": ("danthebaker", "Dan the Baker"), "jade": ("jade_r", "Jade R"), "lina": ("lina_p", "Lina P"),
    "steve": ("steve_rants", "Steve"), "mia": ("mia_ldn", "Mia"), "pete": ("pete_w", "Pete W"),
    "claire": ("claireybear", "Claire"), "ifan": ("ifan_j", "Ifan Jones"), "zara": ("zara_m", "Zara M"),
    "greg": ("greg_on_tech", "Greg"), "sophie": ("sophiewrites", "Sophie L"), "ali": ("ali_k", "Ali K"),
    "fran": ("francoise_d", "Françoise D"), "ben": ("ben_h", "Ben H"), "chris": ("chris_p", "Chris P"),
    "nina": ("nina_b", "Nina B"), "harry": ("harry_s", "Harry S"), "kate": ("kate_w", "Kate W"),
    "joe": ("joe_bloggs_", "Joe"), "anna": ("anna_v", "Anna V"), "rob": ("rob_d", "Rob D"),
    "lucy": ("lucy_g", "Lucy G"), "sam": ("samj", "Sam J"), "will": ("will_e", "Will E"),
    "ava": ("ava_m", "Ava M"), "ian": ("ian_edin", "Ian (Edinburgh)"), "meg": ("meg_h", "Meg H"),
}

# (created_at, user, text, likes, retweets, replies, quotes, lang, in reply to post number or None)
POSTS = [
    ("2026-06-02T08:14:05", "amy", "@LumenMobile switched over yesterday, SIM arrived this morning and my number's already moved. Painless 👏", 3, 0, 1, 0, "en", None),
    ("2026-06-06T17:40:51", "ciaran", "@LumenMobile any reason my 5G keeps dropping to 4G in central Manchester?", 1, 0, 2, 0, "en", None),
    ("2026-06-11T19:02:33", "beth", "Shoutout to the @LumenMobile engineer who fixed our broadband AND gave my kid a lesson on how fibre works 😂", 24, 2, 3, 0, "en", None),
    ("2026-06-15T12:25:10", "tom", "@LumenMobile sorted my roaming in two minutes in the app. Why can't every company do this", 8, 1, 0, 0, "en", None),
    ("2026-06-19T15:48:02", "leeds", "@LumenMobile second time your engineer hasn't turned up. Second day off work wasted. Nobody even called.", 31, 6, 5, 1, "en", None),
    ("2026-06-24T11:17:45", "sue", "@LumenMobile been on hold 40 mins. Lovely hold music though. Really getting to know it.", 12, 1, 2, 0, "en", None),
    ("2026-06-28T21:06:19", "raj", "@LumenMobile the usage alert in the app saved me from a huge bill abroad, thank you!", 5, 0, 0, 0, "en", None),
    ("2026-07-03T10:31:54", "kev", "@LumenMobile transferred 3 times, each person asked me to explain from scratch. Is there a note system??", 19, 3, 4, 0, "en", None),
    ("2026-07-07T16:12:08", "marc", "Lumen broadband install today, engineer was class. Done in 40 minutes @LumenMobile", 6, 0, 1, 0, "en", None),
    ("2026-07-12T07:22:40", "gwen", "@LumenMobile is there an outage in Cardiff? Broadband down since 7am", 2, 0, 3, 0, "en", None),
    ("2026-07-16T13:55:27", "nat", "@LumenMobile thanks to Leah on chat, sorted my PUK in 2 mins 🙌", 4, 0, 0, 0, "en", None),
    ("2026-07-21T15:03:12", "lewis", "@LumenMobile engineer booked for today 8-1, it's now 3pm. No call. No text. Great.", 14, 2, 3, 0, "en", None),
    ("2026-07-26T09:44:36", "paddy", "@LumenMobile why does the price rise email come AFTER it's on my bill", 9, 1, 1, 0, "en", None),
    ("2026-07-30T08:09:58", "ellie", "Changed plan in the @LumenMobile app while waiting for the kettle. Love it", 11, 0, 0, 0, "en", None),
    ("2026-08-03T18:27:14", "omar", "@LumenMobile your chatbot keeps telling me to 'ask another question'. I want a human.", 22, 3, 2, 0, "en", None),
    ("2026-08-08T11:50:03", "ruth", "@LumenMobile 3 weeks without a working landline, 4 calls, 4 different answers.", 15, 2, 3, 1, "en", None),
    ("2026-08-12T20:35:47", "tash", "Really impressed with @LumenMobile so far, new SIM + broadband bundle is half what I paid before", 7, 1, 0, 0, "en", None),
    ("2026-08-18T14:14:21", "hugh", "@LumenMobile Hi, how do I get a copy of my contract? Can't find it in the app", 0, 0, 1, 0, "en", None),
    ("2026-08-23T17:58:30", "dan", "@LumenMobile engineer today was brilliant, speeds are unreal now 🚀", 10, 0, 1, 0, "en", None),
    ("2026-08-29T22:41:09", "jade", "@LumenMobile heads up, your website's top-up page is throwing an error. Tried three cards.", 4, 1, 1, 0, "en", None),
    ("2026-09-03T07:52:16", "steve", "@LumenMobile you've charged me TWICE for September after your 'billing upgrade'. £76 gone, rent is due next week. 55 mins on hold and then cut off. Absolutely disgraceful.", 1240, 480, 210, 35, "en", None),
    ("2026-09-03T12:10:44", "steve", "Update: rang again, transferred to 3 different departments, each one said it's not them. Still no refund. @LumenMobile", 302, 41, 58, 4, "en", 21),
    ("2026-09-04T08:03:29", "mia", "@steve_rants @LumenMobile same here, double charged. Anyone had theirs refunded yet?", 88, 9, 14, 0, "en", 21),
    ("2026-09-05T19:21:52", "pete", "Is @LumenMobile's billing system run by a toddler? Bill for £212. I pay £38.", 146, 22, 19, 3, "en", None),
    ("2026-09-07T13:36:05", "claire", "@LumenMobile chat says call, phone says use chat. I'm going round in circles trying to get my bill fixed", 37, 4, 6, 0, "en", None),
    ("2026-09-10T10:05:41", "zara", "@LumenMobile 4th call about the same wrong bill. Explained it all again. Promised a call back. We'll see.", 21, 2, 3, 0, "en", None),
    ("2026-09-12T16:47:18", "greg", "Lovely engineer from @LumenMobile today but honestly the billing chaos has put me off recommending you", 9, 0, 1, 0, "en", None),
    ("2026-09-15T14:29:57", "sophie", "@LumenMobile hold time 1hr 12mins and counting ☎️😴", 54, 6, 9, 1, "en", None),
    ("2026-09-18T09:12:33", "ali", "@LumenMobile direct debit taken early after your system change, now I've got an overdraft fee. Who pays that?", 40, 7, 5, 0, "en", None),
    ("2026-09-22T11:38:02", "zara", "@LumenMobile can you DM me, been waiting 2 weeks for the call back I was promised about my bill", 6, 0, 2, 0, "en", None),
    ("2026-09-26T15:16:49", "ifan", "Not all bad: @LumenMobile agent fixed my bill in one call today and gave me £20 credit. Thank you Priya!", 27, 3, 2, 0, "en", None),
    ("2026-09-29T18:53:24", "fran", "@LumenMobile Bonjour, je suis en vacances en France et mon forfait ne fonctionne plus depuis trois jours. Personne ne répond sur le chat.", 1, 0, 1, 0, "fr", None),
    ("2026-10-01T09:20:11", "ben", "@LumenMobile the app crashes on launch since this morning's update. iPhone 15. Anyone else?", 380, 52, 96, 6, "en", None),
    ("2026-10-01T10:02:37", "chris", "@ben_h @LumenMobile won't open on Android either after the update 🙃", 61, 5, 8, 0, "en", 33),
    ("2026-10-03T20:44:15", "nina", "@LumenMobile so the app is broken AND my bill is wrong. Couldn't make this up.", 73, 10, 11, 1, "en", None),
    ("2026-10-05T12:31:58", "harry", "@LumenMobile had to ring to pay my bill because the app crashes. 30 min wait to do something that took 10 seconds last month", 25, 2, 3, 0, "en", None),
    ("2026-10-08T17:09:26", "kate", "@LumenMobile third month of a wrong bill. Considering my options tbh", 18, 1, 2, 0, "en", None),
    ("2026-10-10T08:26:40", "joe", "@LumenMobile refund for the double charge promised 3 weeks ago. Still nothing. Chasing AGAIN.", 29, 4, 5, 0, "en", None),
    ("2026-10-13T19:37:03", "anna", "shoutout @LumenMobile engineer Dave who came out on a Sunday to fix our broadband. legend", 33, 2, 4, 0, "en", None),
    ("2026-10-15T21:15:52", "rob", "@LumenMobile the app deleted my saved card and now crashes when I try to add it 🤦‍♀️", 12, 1, 2, 0, "en", None),
    ("2026-10-17T07:58:14", "lucy", "@LumenMobile hi, app crashing on my Pixel 8 when opening the bill page. cleared cache, reinstalled. still crashing", 4, 0, 2, 0, "en", None),
    ("2026-10-19T13:03:47", "sam", "Lumen: 'we value your feedback'. Also Lumen: 50 minute hold. @LumenMobile", 44, 6, 3, 1, "en", None),
    ("2026-10-22T16:22:31", "will", "@LumenMobile transferred 5 times today. FIVE. Nobody owns anything in your company.", 67, 9, 12, 0, "en", None),
    ("2026-10-25T10:49:08", "ava", "@LumenMobile to be fair once I got through the agent was lovely and sorted the refund. just took a month to get through", 8, 0, 1, 0, "en", None),
    ("2026-10-28T11:34:55", "leeds", "@LumenMobile engineer missed the appointment AGAIN in Leeds. 3rd time. Working from home with no internet.", 35, 4, 6, 0, "en", None),
    ("2026-10-30T18:11:20", "ben", "@LumenMobile app still crashing a month on. Is a fix coming?", 19, 2, 4, 0, "en", None),
    ("2026-11-02T09:07:42", "ben", "@LumenMobile latest app update fixed the crash for me 👍 thanks", 16, 1, 2, 0, "en", None),
    ("2026-11-04T14:40:19", "joe", "@LumenMobile my double charge refund landed today. Only took 9 weeks 🙄", 22, 2, 3, 0, "en", None),
    ("2026-11-06T17:25:33", "kate", "@LumenMobile still no refund from september. 6 calls. I give up, porting out.", 31, 3, 5, 0, "en", None),
    ("2026-11-09T12:12:06", "ian", "Have to say @LumenMobile's November bill is right and I got a goodwill credit. Slowly rebuilding trust", 12, 1, 1, 0, "en", None),
    ("2026-11-11T19:48:51", "tom", "@LumenMobile sorted my upgrade in the app in two minutes. Glad it's working again", 9, 0, 0, 0, "en", None),
    ("2026-11-13T15:30:27", "hugh", "@LumenMobile your store in Glasgow is ace, sorted my SIM swap in 10 minutes", 6, 0, 1, 0, "en", None),
    ("2026-11-16T08:55:44", "lucy", "@LumenMobile is the bill page in the app still being fixed? still crashes for me sometimes", 5, 0, 2, 0, "en", None),
    ("2026-11-18T14:19:13", "meg", "@LumenMobile why is the chat wait 45 minutes on a Wednesday afternoon", 13, 1, 2, 0, "en", None),
    ("2026-11-20T20:02:58", "greg", "Switched my mum to @LumenMobile broadband last week. Engineer on time, install tidy, 900Mb. Very happy", 14, 1, 1, 0, "en", None),
    ("2026-11-23T09:33:35", "claire", "@LumenMobile promised a call back Friday. It's Monday. Chasing for the 3rd time.", 10, 0, 2, 0, "en", None),
    ("2026-11-25T16:06:12", "nat", "@LumenMobile cheers for the quick reply on DM, all sorted now", 2, 0, 0, 0, "en", None),
    ("2026-11-27T07:45:49", "paddy", "@LumenMobile yet another email saying my bill is ready and the bill isn't in the app. Fix it pls", 7, 0, 1, 0, "en", None),
    ("2026-11-28T21:27:03", "ellie", "the @LumenMobile app is genuinely the easiest thing. paid, topped up, done", 5, 0, 0, 0, "en", None),
    ("2026-11-30T11:59:16", "omar", "@LumenMobile Black Friday deal for existing customers? or is it just new ones as usual", 20, 2, 4, 0, "en", None),
]

TWITTER_EPOCH_MS = 1288834974657


def snowflake(created: datetime, sequence: int) -> str:
    """A Twitter-style id: milliseconds since the Twitter epoch, shifted, plus a sequence."""
    millis = int(created.timestamp() * 1000) - TWITTER_EPOCH_MS
    return str((millis << 22) | (sequence & 0xFFF))


def build_social(rng: random.Random) -> dict:
    user_ids = {key: str(rng.randint(10**17, 10**18 - 1)) for key in USERS}
    ids, data = {}, []
    for number, (created, user, text, likes, retweets, replies, quotes, lang, reply_to) in enumerate(POSTS, start=1):
        stamp = datetime.fromisoformat(created).replace(tzinfo=timezone.utc)
        ids[number] = snowflake(stamp, number)
        post = {
            "id": ids[number],
            "text": text,
            "created_at": stamp.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "author_id": user_ids[user],
            "conversation_id": ids[reply_to] if reply_to else ids[number],
            "lang": lang,
            "public_metrics": {"retweet_count": retweets, "reply_count": replies,
                               "like_count": likes, "quote_count": quotes},
        }
        if reply_to:
            post["in_reply_to_user_id"] = user_ids[POSTS[reply_to - 1][1]]
        data.append(post)
    posters = sorted({post[1] for post in POSTS}, key=list(USERS).index)
    users = [{"id": user_ids[key], "username": USERS[key][0], "name": USERS[key][1]} for key in posters]
    newest = max(data, key=lambda p: p["created_at"])
    oldest = min(data, key=lambda p: p["created_at"])
    # API v2 returns newest first.
    data.sort(key=lambda p: p["created_at"], reverse=True)
    return {"data": data, "includes": {"users": users},
            "meta": {"result_count": len(data), "newest_id": newest["id"], "oldest_id": oldest["id"]}}


def main() -> None:
    rng = random.Random(SEED)
    survey = build_survey(rng)
    with open(DEMO / "survey.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SURVEY_COLUMNS)
        writer.writeheader()
        writer.writerows(survey)
    with open(DEMO / "reviews.jsonl", "w", encoding="utf-8") as handle:
        for review in build_reviews():
            handle.write(json.dumps(review, ensure_ascii=False) + "\n")
    with open(DEMO / "social.json", "w", encoding="utf-8") as handle:
        json.dump(build_social(rng), handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    print(f"wrote {len(survey)} survey responses, {len(REVIEWS)} reviews, {len(POSTS)} posts to {DEMO}")


if __name__ == "__main__":
    main()
