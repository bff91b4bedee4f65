"""CSV post exports: auto-detected columns, explicit mapping, files without a header row."""

from __future__ import annotations

from cxtext.sourcing import ColumnMapping, ReadContext
from cxtext_social.source import SocialSource

AIRLINE_LIKE = (
    "tweet_id,airline_sentiment,negativereason,airline,name,retweet_count,text,tweet_created\n"
    "101,negative,Late Flight,United,ann,2,@united two hours late again,2015-02-24 11:35:52 -0800\n"
    "102,positive,,Delta,bob,0,@delta lovely crew,2015-02-24 11:15:59 -0800\n"
    "101,negative,Customer Service Issue,United,ann,2,@united two hours late again,2015-02-24 11:35:52 -0800\n"
)


def test_auto_detected_columns_and_metadata(tmp_path):
    path = tmp_path / "tweets.csv"
    path.write_text(AIRLINE_LIKE, encoding="utf-8")
    context = ReadContext(mapping=ColumnMapping(segments=["airline"]))
    first, second, repeat = SocialSource().read(path, context)
    assert first.text == "@united two hours late again"
    assert first.source_id == "101" and first.customer_id == "ann"
    assert first.created_at == "2015-02-24T11:35:52-08:00"
    assert first.engagement == {"retweets": 2}
    assert first.segments == {"airline": "United"}
    assert first.channel == "twitter"  # tweet_id / retweet_count say so
    # Columns used for nothing else travel in metadata under their own names.
    assert first.metadata == {"airline_sentiment": "negative", "negativereason": "Late Flight"}
    assert second.metadata["negativereason"] is None
    assert first.source_row == 2 and repeat.source_row == 4
    assert repeat.id == first.id  # same tweet id, same record: the later row wins in the store
    assert any("1 row(s) repeat an id" in note for note in context.notes)
    assert any("engagement retweets 'retweet_count'" in note for note in context.notes)


def test_explicit_mapping_over_detection(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("post,who,when,hearts,site\nSlow refund,u1,2024-05-02,7,forum\n", encoding="utf-8")
    mapping = ColumnMapping(text=["post"], customer="who", date="when", engagement={"likes": "hearts"},
                            channel="site")
    (record,) = SocialSource().read(path, ReadContext(mapping=mapping))
    assert record.text == "Slow refund" and record.customer_id == "u1"
    assert record.engagement == {"likes": 7} and record.channel == "forum"
    assert record.created_at.startswith("2024-05-02")


def test_no_header_row_with_named_columns(tmp_path):
    path = tmp_path / "complaints.csv"
    path.write_text('1,"@acme where is my order, again?",1,retail\n2,@acme thanks!,0,retail\n', encoding="utf-8")
    context = ReadContext(
        mapping=ColumnMapping(segments=["domain"], scores={"complaint": "complaint"}),
        options={"columns": "tweet_id,text,complaint,domain"},
    )
    first, second = SocialSource().read(path, context)
    assert first.text == "@acme where is my order, again?" and first.source_row == 1
    assert first.scores == {"complaint": 1.0} and second.scores == {"complaint": 0.0}
    assert first.segments == {"domain": "retail"} and first.source_id == "1"


def test_reddit_csv_and_engagement_names(tmp_path):
    path = tmp_path / "reddit.csv"
    path.write_text("id,subreddit,author,body,score,num_comments,created_utc\n"
                    "x1,acme,u9,fees are hidden,12,3,1672531200\n", encoding="utf-8")
    (record,) = SocialSource().read(path, ReadContext())
    assert record.channel == "reddit" and record.segments == {"subreddit": "acme"}
    assert record.engagement == {"likes": 12, "replies": 3}
    assert record.created_at == "2023-01-01T00:00:00+00:00"


SUPPORT_THREADS = (
    ",tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
    "0,1,AcmeCares,False,Tue Oct 31 22:10:47 +0000 2017,@115712 Please DM us.,2,3.0\n"
    "1,2,115712,True,Tue Oct 31 22:11:45 +0000 2017,and how do you propose we do that,,1.0\n"
    "2,3,115712,True,Tue Oct 31 22:08:27 +0000 2017,@acmecares nobody answers my messages,1,\n"
)


def test_customer_support_on_twitter_layout(tmp_path):
    path = tmp_path / "twcs.csv"
    path.write_text(SUPPORT_THREADS, encoding="utf-8")
    brand, reply, first = SocialSource().read(path, ReadContext())
    assert brand.segments == {"brand": "AcmeCares"} and brand.customer_id == "115712"
    assert brand.speaker == "AcmeCares" and brand.metadata["inbound"] is False
    assert brand.metadata["response_tweet_id"] == ["2"] and brand.metadata["in_response_to_tweet_id"] == "3"
    # No @mention: the brand comes from the tweet it replies to.
    assert reply.segments == {"brand": "AcmeCares"} and reply.metadata["inbound"] is True
    # A lower-case mention of a brand already seen keeps the brand's own spelling.
    assert first.segments == {"brand": "AcmeCares"} and first.customer_id == "115712"
    assert {brand.conversation_id, reply.conversation_id, first.conversation_id} == {"AcmeCares/115712"}
    assert "" not in brand.metadata  # the pandas index column is dropped


def test_bom_and_bare_cr_line_endings(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes("\ufefftext,likes\rgreat app,3\rcrashes daily,0\r".encode("utf-8"))
    records = list(SocialSource().read(path, ReadContext()))
    assert [r.text for r in records] == ["great app", "crashes daily"]
    assert records[0].engagement == {"likes": 3}


def test_bare_cr_inside_a_value(tmp_path):
    # One tweet in the support corpus was typed with bare CRs inside an unquoted value.
    path = tmp_path / "cr.csv"
    path.write_bytes(b"id,text,likes\n1,first line\r\rsecond line,2\n2,next,0\n")
    first, second = SocialSource().read(path, ReadContext())
    assert first.text == "first line\n\nsecond line" and first.engagement == {"likes": 2}
    assert second.source_row == 3


def test_sniff_tables(tmp_path):
    source = SocialSource()
    support = tmp_path / "twcs.csv"
    support.write_text(SUPPORT_THREADS, encoding="utf-8")
    survey = tmp_path / "survey.csv"
    survey.write_text("respondent id,nps,comment\n1,9,great\n", encoding="utf-8")
    assert source.sniff(support) >= 0.9
    assert source.sniff(survey) == 0.0


def test_xlsx_export(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Post ID", "Message", "Likes", "Shares", "Date"])
    sheet.append([9001, "Love the new loyalty scheme", 12, 3, "2024-06-01 08:00:00"])
    sheet.append([9002, "Still no reply from support", None, 0, "2024-06-02 09:30:00"])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    first, second = SocialSource().read(path, ReadContext())
    assert first.source_id == "9001" and first.text == "Love the new loyalty scheme"
    assert first.engagement == {"likes": 12, "shares": 3}
    assert second.engagement == {"shares": 0}
    assert second.created_at == "2024-06-02T09:30:00"
