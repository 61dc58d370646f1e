"""Short answers that need no lead word: places named bare ("Cùng với Venezia, Paris …"), ranks ("đứng
thứ mấy"), the noun after "số lượng", years asked as "năm bao nhiêu", counts cut at punctuation, names with
particles ("Charles de Gaulle") and the holder of an asked title."""

from __future__ import annotations

import pytest

from assistant.answering.answer_models import SourcePassage
from assistant.answering.answer_spans import person_spans
from assistant.answering.fact_finder import Fact, find_fact
from assistant.answering.number_spans import number_spans
from assistant.answering.place_names import named_place_spans
from assistant.question.analysis import analyse_question
from tests.scored_sentences import Sentence, short_answer

_short = short_answer


def test_bare_names_are_places_but_not_religions_phrases_people_or_languages() -> None:
    sentence = (
        "Cùng với Venezia, Paris còn được ví là thành phố của Cơ Đốc giáo, nơi người Pháp gọi là Thủ đô."
    )
    assert [s.display for s in named_place_spans(sentence)] == ["Venezia", "Paris"]
    # A capitalised phrase's first word is no place; a person is not one either.
    assert named_place_spans("Cách mạng Pháp bắt đầu khi ông Nguyễn Văn An tới.") == []
    # The kind of place said before the name belongs to it.
    assert [s.display for s in named_place_spans("Gần đó là nhà thờ Đức Bà.")] == ["Nhà thờ Đức Bà"]


@pytest.mark.parametrize(
    ("question", "sentences", "expected", "scores"),
    [
        # The best sentence names the place bare; the subject answers "Thành phố nào …".
        (
            "Thành phố nào đứng nhất về vẻ đẹp theo khảo sát của Global Market Insite?",
            ("Theo khảo sát của Global Market Insite, Paris đứng đầu về vẻ đẹp.",),
            "Paris",
            (1.0,),
        ),
        # "đây là nơi diễn ra Cách mạng Pháp": the asked event's own words are no answer.
        (
            "Cuộc cách mạng Pháp diễn ra ở đâu?",
            (
                "Thế kỷ 14, Paris là thành phố quan trọng của Cơ Đốc giáo, đây là nơi diễn ra Cách mạng Pháp.",
                "Trên đảo Île de la Cité tập trung các công trình cổ.",
            ),
            "Paris",
            (1.0, 0.6),
        ),
        # A place after "tại" in a sentence nearly as good still beats a bare name.
        (
            "Cảnh quay trong phim Amélie ở đâu?",
            ("Phim Amélie quay một cảnh với Paris.", "Cảnh quay trong phim Amélie diễn ra tại Montmartre."),
            "Montmartre",
            (1.0, 0.95),
        ),
    ],
)
def test_a_place_named_bare_answers_where(
    question: str, sentences: tuple[str, ...], expected: str, scores: tuple[float, ...]
) -> None:
    assert _short(question, *sentences, scores=scores) == expected


def test_ranks_and_the_noun_after_so_luong() -> None:
    assert _short("Chỉ số của Canada đứng thứ mấy trên thế giới?", "Canada đứng thứ 11 với 0,942 điểm.") == (
        "Thứ 11"
    )
    assert _short("Thai phụ mang thai đến tuần thứ mấy thì sinh?", "Bé chào đời ở tuần 37, nặng 2,5 kg.") == (
        "Tuần 37"
    )
    # A count of soldiers does not say how many helicopters; the question's own noun does.
    assert _short("Số lượng máy bay trực thăng là bao nhiêu?", "Lực lượng có khoảng 2.000 binh sĩ.") is None
    assert _short("Số lượng máy bay trực thăng là bao nhiêu?", "Không quân có bốn máy bay trực thăng.") == (
        "Bốn máy bay"
    )


def test_a_year_asked_as_nam_bao_nhieu_is_a_when_question() -> None:
    assert analyse_question("Hiệp định được ký kết vào năm bao nhiêu?").kind == "when"
    assert analyse_question("Bà kết hôn vào năm bao nhiêu tuổi?").kind == "how_many"
    assert analyse_question("Mỗi năm bao nhiêu du khách tới Paris?").kind == "how_many"


def test_counts_end_at_punctuation_and_years_are_no_counts() -> None:
    assert [s.display for s in number_spans("Quân số lên đến 50.000, tương đương dân số.", None)] == [
        "Đến 50.000"
    ]
    assert number_spans("Bốn cuộc chiến (1689–1763) nhượng lại đất.", None) == []
    assert number_spans("Mùa giải 1936–37 kết thúc sớm.", None) == []
    # A verb or preposition after a number is no unit: "do" (by) is not "độ" (degrees).
    assert [s.display for s in number_spans("Hoa Kỳ nhận 36 tỷ do Đức và Nhật Bản đóng góp.", None)] == [
        "36 tỷ"
    ]
    assert [s.display for s in number_spans("Nước sôi ở 100 độ C.", None)] == ["100 độ C"]


def test_particles_inside_peoples_names_and_the_article_s_holder_of_an_asked_title() -> None:
    assert [s.display for s in person_spans("Thời Tổng thống Charles de Gaulle và Jean de la Fontaine.")] == [
        "Tổng thống Charles de Gaulle",
        "Jean de la Fontaine",
    ]
    # No sentence words the question's act; the article's holder of the asked title answers.
    assert (
        _short(
            "Cuộc biểu tình của sinh viên xảy ra dưới thời tổng thống nào?",
            "Từ năm 1968, một phong trào sinh viên bắt đầu từ Đại học Nanterre.",
            "Trong nhiệm kỳ của tổng thống Charles de Gaulle, nhiều sự kiện đã diễn ra.",
        )
        == "Tổng thống Charles de Gaulle"
    )


def test_a_day_month_and_year_question_is_answered_with_the_whole_date() -> None:
    assert _short(
        "Cung điện rơi vào tay quân đội vào ngày tháng năm nào?",
        "Cung điện rơi vào tay quân đội ngày 2 tháng 8 năm 1990.",
    ) == ("2/8/1990")


def test_which_places_is_answered_with_the_whole_list_and_a_foreign_pair_is_a_place_only_in_one() -> None:
    sentence = "Paris cùng với New York, Luân Đôn và Tokyo là những thành phố toàn cầu."
    assert _short("Ngoài Paris, còn có thành phố nào là thành phố toàn cầu?", sentence) == (
        "New York, Luân Đôn và Tokyo"
    )
    assert _short("Thành phố nào là thành phố toàn cầu?", sentence) in ("New York", "Luân Đôn", "Tokyo")
    # "Scott Brown, tác giả …": an appositive comma, no list; a person, not a place.
    assert named_place_spans("Scott Brown, tác giả chính của nghiên cứu, nói thêm.") == []


def test_places_spelled_like_surnamed_names_are_no_people() -> None:
    for sentence in ("Hà Nội là thủ đô.", "Người Bồ Đào Nha đến trước.", "Hà Lan và Thái Lan ký kết."):
        assert person_spans(sentence) == [], sentence
    assert [s.display for s in person_spans("Bà Hà Thị Lan tới Hà Nội.")] == ["Bà Hà Thị Lan"]
    # "Anh" (England) before "Việt Nam" is no title; a title may name its country before the name.
    assert person_spans("Quan hệ giữa Anh Việt Nam tốt đẹp.") == []
    assert [s.display for s in person_spans("Ông gặp Đại sứ Hoa Kỳ April Glaspie hôm đó.")] == [
        "Đại sứ Hoa Kỳ April Glaspie"
    ]


def test_decades_times_of_day_and_egypt() -> None:
    assert _short("Âm nhạc Kaneka khởi nguồn vào lúc nào?", "Kaneka ra đời vào thập niên 1980.") == (
        "Thập niên 1980"
    )
    # No date anywhere: advice is timed by the day; a date, where one is stated, still wins.
    assert _short("Nên uống nước chanh khi nào?", "Nên uống nước chanh vào buổi sáng.") == "Buổi sáng"
    assert (
        _short(
            "Bác sĩ mổ lần đầu tiên là lúc nào?",
            "Bác sĩ mổ lần đầu vào buổi sáng đầu tiên.",
            "Lần mổ đầu tiên là ngày 3/5/2003.",
        )
        == "3/5/2003"
    )
    assert analyse_question("Người Ai cập cổ làm son như thế nào?").kind == "general"


def test_groups_of_people_answer_questions_about_whom_it_concerns() -> None:
    assert (
        _short(
            "Việc mang thai hộ đã giúp ích cho những ai?",
            "Luật cho phép mang thai hộ đã mang lại hạnh phúc cho nhiều cặp vợ chồng hiếm muộn.",
        )
        == "Nhiều cặp vợ chồng hiếm muộn"
    )
    # "… là của ai?" may ask a name: a person answers when the sentence names no group.
    assert (
        _short(
            "Tiếng nói được đài phát thanh truyền đi là của ai?",
            "Đài phát thanh truyền đi tiếng nói của Tổng thống Saddam Hussein.",
        )
        == "Tổng thống Saddam Hussein"
    )


def test_another_articles_place_does_not_answer_a_question_about_this_one() -> None:
    other = SourcePassage(n=2, article_id="a2", title="Khai mạc lớp bồi dưỡng năm 2019", text="")
    sentences = [
        Sentence("Tham dự buổi tập huấn có đại diện 18 Liên hiệp khu vực phía Nam.", score=1.0),
        Sentence(
            "Ngày 04/10/2019, tại khách sạn Ariyana, Sở Ngoại vụ khai mạc lớp bồi dưỡng.", other, score=0.9
        ),
    ]
    question = "Tập huấn cho 18 Liên hiệp phía Nam diễn ra ở đâu?"
    fact = find_fact(analyse_question(question), question, sentences, "Tập huấn khu vực phía Nam")
    assert not isinstance(fact, Fact)


def test_the_stored_author_answers_only_questions_about_an_article() -> None:
    assert analyse_question('Ai là người viết tác phẩm "Đi tìm thời gian đã mất"?').kind == "who"
    assert analyse_question("Ai là tác giả bài về hội nghị toàn quốc năm 2022?").kind == "author"
    # "đang" (in progress) is not "đăng" (published).
    assert analyse_question("Vì sao Roosevelt đang vào ngày 7 tháng 12 năm 1941 lại tuyên chiến?").kind == (
        "general"
    )
    assert analyse_question("Bài này được đăng vào ngày nào?").kind == "published"


def test_who_a_person_is_claims_no_missing_role_when_the_article_speaks_of_them() -> None:
    question = "Michel Cailliau là ai?"
    sentence = Sentence("Michel Cailliau, cháu của de Gaulle, lập một phong trào kháng chiến.")
    fact = find_fact(analyse_question(question), question, [sentence], "Kháng chiến")
    assert fact is None  # the sentences about him are shown; no «không nêu chức vụ»


def test_a_kind_of_place_a_word_or_two_before_a_foreign_name_makes_it_a_place() -> None:
    sentence = "Trục lịch sử được kéo dài tới tận khu đô thị hiện đại La Défense với công trình Grande Arche."
    assert [s.display for s in named_place_spans(sentence)] == ["Khu đô thị hiện đại La Défense"]
    # A clause between the kind and the name says something else about it.
    assert [s.display for s in named_place_spans("Một con kênh khác là Saint-Denis.")] == ["Saint-Denis"]
    assert [s.display for s in named_place_spans("Có nhiều khách sạn ở khắp Paris.")] == ["Paris"]


def test_where_answers_keep_what_stands_at_the_place() -> None:
    sentence = (
        "Mitterrand học tập từ năm 1925 đến năm 1934 tại collège Saint-Paul ở Angoulême, nơi ông vào JEC."
    )
    assert _short("Mitterrand học tập tại đâu?", sentence) == "Collège Saint-Paul ở Angoulême"
    wells = "Quân đội Iraq đã tiến đến rất gần các giếng dầu ở Hama, nguồn tài nguyên giá trị nhất."
    assert _short("Nguồn tài nguyên giá trị nhất nằm ở đâu?", wells) == "Giếng dầu ở Hama"
    # A time before "ở" is no place's part.
    assert _short("Ông sống ở đâu?", "Ông sống từ năm 1990 đến năm 2020 ở Hà Nội.") == "Hà Nội"
