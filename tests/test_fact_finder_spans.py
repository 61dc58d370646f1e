"""The fact finder on encyclopedia-style sentences: passive agents, eras, places named with particles,
landmarks and numbered districts, lists of people, the person holding the asked title, dates at the asked
precision, and never an answer the question already names."""

from __future__ import annotations

import pytest

from assistant.answering.answer_spans import agent_spans, era_spans, person_spans
from assistant.answering.number_spans import number_spans
from assistant.answering.place_answers import destination_spans, landmark_spans, place_spans
from assistant.question.analysis import analyse_question
from tests.scored_sentences import short_answer


def _short(question: str, *sentences: str) -> str | None:
    return short_answer(question, *sentences, scores=(1.0,) * len(sentences))


def test_the_agent_of_a_passive_clause_with_its_title() -> None:
    assert [
        s.display for s in agent_spans("Công viên được tái thiết kế bởi kiến trúc sư Bernard Tschumi.")
    ] == ["Kiến trúc sư Bernard Tschumi"]
    assert [s.display for s in agent_spans("Các đại lộ do Haussmann quy hoạch.")] == ["Haussmann"]
    assert agent_spans("Quyết định do Bộ Y tế ban hành.") == []  # an organisation, not a person


def test_eras_answer_when_there_is_no_date() -> None:
    assert [s.display for s in era_spans("Paris trở thành thủ đô từ thế kỷ 10.")] == ["Thế kỷ 10"]
    assert [s.display for s in era_spans("Paris lột xác vào thời Napoléon III.")] == ["Thời Napoléon III"]
    assert era_spans("Trong thời gian này, dân số tăng.") == []
    assert era_spans("Vào thời điểm đó, đứa bé mới chào đời.") == []  # "đ" is no capital letter


def test_places_keep_their_particles_and_kinds() -> None:
    assert [s.display for s in place_spans("Nhà thờ nằm trên đảo Île de la Cité.")] == ["Đảo Île de la Cité"]
    assert [s.display for s in place_spans("Bức tranh nằm trong viện bảo tàng Louvre.")] == [
        "Viện bảo tàng Louvre"
    ]
    assert place_spans("Trong khu vực này, giá nhà tăng.") == []


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "La Villette được tái thiết kế bởi ai?",
            "Khu La Villette được tái thiết kế bởi kiến trúc sư Bernard Tschumi.",
            "Kiến trúc sư Bernard Tschumi",
        ),
        (
            "Cung điện Tuileries nằm ở đâu?",
            "Cung điện Tuileries ở Paris nằm cạnh bảo tàng Louvre.",
            "Paris",
        ),
        (
            "Paris trở thành thủ đô vào lúc nào?",
            "Paris trở thành thủ đô của vương quốc vào thế kỷ 10.",
            "Thế kỷ 10",
        ),
        # Who the asked act belongs to, in nominal wording.
        (
            "Quốc lộ Saint-Germain được ai quy hoạch?",
            "Cách tổ chức thành phố phụ thuộc nhiều vào quy hoạch của nam tước Haussmann dưới thời Đệ nhị đế chế.",
            "Nam tước Haussmann",
        ),
        # A landmark without "tại/ở" before it answers "ở đâu"; the sentence's subject does not.
        (
            "Bức tranh Mona Lisa nằm ở đâu?",
            "Lớn nhất là viện bảo tàng Louvre, nơi lưu trữ các tác phẩm như Mona Lisa.",
            "Viện bảo tàng Louvre",
        ),
        (
            "Người nghèo ở Paris sống ở đâu?",
            "Phần lớn người nghèo ở Paris sống ở các Quận 18, 19 và 20.",
            "Quận 18, 19 và 20",
        ),
        # "tháng mấy", "thế kỷ thứ mấy" ask when, not how many.
        ("Picasso sống trong thế kỷ thứ mấy?", "Picasso là danh họa của thế kỷ 20.", "Thế kỷ 20"),
        # The date at the precision asked: the year for "năm nào", a month for "tháng mấy".
        ("Henri IV trở lại Paris năm nào?", "Ngày 22 tháng 3 năm 1594, Henri IV trở lại Paris.", "Năm 1594"),
        (
            "Lễ hội kết thúc vào tháng mấy?",
            "Năm 2002, lễ hội kết thúc vào ngày 14 tháng 7 năm 2002 ở Paris.",
            "14/7/2002, tại Paris",
        ),
        # The article words the act its own way: one relation phrase in the best sentence will do.
        (
            "Ai đã cai trị Paris sau khi giải phóng khỏi Attila?",
            "Thời kỳ Trung Cổ, thành phố thoát khỏi sự cai trị của những người Attila trong một thời gian "
            "ngắn rồi Childéric I tới chiếm vào năm 464.",
            "Childéric I",
        ),
        (
            "Các con đường lớn của Paris được cải tạo bởi ai?",
            "Giao thông Paris khá khó khăn dù các đại lộ rộng rãi nhờ những cải tạo của Haussmann.",
            "Haussmann",
        ),
        # The people of a list, not one of them; commas alone join clauses, not people.
        (
            "Ai cai trị Paris sau thời Childéric I?",
            "Sau khi chiến thắng những người La Mã, Clovis I lấy Paris làm thủ đô và cai trị Paris.",
            "Clovis I",
        ),
        (
            "Ai là người đi tiên phong trong trường phái lập thể?",
            "Ở Montmartre, Georges Braque và Pablo Picasso đi tiên phong trong trường phái lập thể.",
            "Georges Braque và Pablo Picasso",
        ),
        (
            "Tỷ lệ nam giới trung niên trong số người vô gia cư ở Paris là bao nhiêu?",
            "Khoảng 31 tới 50% người vô gia cư ở Paris là nam giới trung niên.",
            "Khoảng 31 tới 50%",
        ),
        # The person holding the title the question names.
        (
            "Ai là Đại sứ dự lễ khai trương?",
            "Dự lễ khai trương có ông Trần Văn Nam, Giám đốc Sở, và Đại sứ Lê Thị Hoa.",
            "Đại sứ Lê Thị Hoa",
        ),
        # A deputy does not hold the title: the role says so.
        (
            "Ai là Chủ tịch Liên hiệp?",
            "Có mặt tại buổi lễ có ông Phan Văn Sơn, Phó Chủ tịch, Tổng Thư ký Liên hiệp.",
            "Ông Phan Văn Sơn, Phó Chủ tịch, Tổng Thư ký Liên hiệp",
        ),
        # "<Tên> là ai?" asks the role the article gives, every role of the chain.
        (
            "Ông Phan Văn Sơn là ai?",
            "Có mặt tại buổi lễ có ông Phan Văn Sơn, Phó Chủ tịch, Tổng Thư ký Liên hiệp.",
            "Ông Phan Văn Sơn, Phó Chủ tịch, Tổng Thư ký Liên hiệp",
        ),
        # "đến từ 18 …" is a count ("từ" is not "Thông tư 18").
        (
            "Có bao nhiêu Liên hiệp tham dự?",
            "Hội nghị có đại diện đến từ 18 Liên hiệp các tổ chức hữu nghị.",
            "18 Liên hiệp",
        ),
        # A relative as the subject is who did it, not the named person.
        (
            "Khi Eli Gregg bị dao đâm thì ai là người đã phát hiện ra?",
            "Mẹ của Eli Gregg là người phát hiện con trai bị dao đâm, gọi cấp cứu.",
            "Mẹ của Eli Gregg",
        ),
        # The role only repeats the question: the name is the answer.
        (
            "Ai là Phó Viện trưởng Viện Y học?",
            "Tiến sĩ Trương Thị Lan, Phó Viện trưởng Viện Y học, cho biết thêm.",
            "Tiến sĩ Trương Thị Lan",
        ),
        (
            "Công viên La Villette do ai thiết kế?",
            "Theo thiết kế của kiến trúc sư Bernard Tschumi, lò mổ cũ trở thành công viên La Villette.",
            "Kiến trúc sư Bernard Tschumi",
        ),
    ],
)
def test_the_short_answer_to_each_question(question: str, sentence: str, expected: str) -> None:
    assert _short(question, sentence) == expected


def test_a_sentence_that_only_repeats_the_question_states_no_fact() -> None:
    assert _short("Cung điện Tuileries nằm ở đâu?", "Người ta thường nhắc tới cung điện ở Tuileries.") is None
    # "quy hoạch của thành phố": the act's owner must be named with a capital.
    assert _short("Ai quy hoạch thành phố?", "Bản quy hoạch của thành phố được duyệt.") is None


def test_a_passive_agent_answers_who_when_the_sentence_holds_the_questions_name() -> None:
    sentence = (
        "Một nhà hàng sang trọng, La Taverne Anglaise, được khai trương vào năm 1786 trong khu vườn của "
        "Palais-Royal bởi Antoine Beauvilliers."
    )
    assert _short("Ai đã thành lập La Taverne Anglaise?", sentence) == "Antoine Beauvilliers"
    # Without the name in the sentence, a passive agent says nothing about the question's verb.
    assert (
        _short("Ai đã thành lập La Taverne Anglaise?", "Khu vườn được chăm sóc bởi Antoine Beauvilliers.")
        is None
    )


def test_regnal_names_are_people_but_not_inside_an_institutions_name() -> None:
    assert [s.display for s in person_spans("rồi Childéric I tới chiếm vào năm 464.")] == ["Childéric I"]
    assert [s.display for s in person_spans("Kể từ Louis XIII, các vị vua chuyển đi.")] == ["Louis XIII"]
    assert person_spans("Đại học Paris XI nằm ở Saclay.") == []
    # A diaeresis is no Vietnamese mark: "Saint-Saëns" is a foreign name like "Dukas".
    assert [
        s.display for s in person_spans("Sau năm 1870, Paul Dukas, Camille Saint-Saëns hay Georges Bizet.")
    ] == [
        "Paul Dukas",
        "Camille Saint-Saëns",
        "Georges Bizet",
    ]
    # Spelled as no Vietnamese syllable is ("nn", a final "l"), whatever its accents; not a building.
    assert [
        s.display for s in person_spans("Tham vọng của quan thái thú Étienne Marcel gây nên biến cố.")
    ] == ["Étienne Marcel"]
    assert person_spans("Nhà vua sống ở Hôtel Saint-Pol, rồi Palais Royal.") == []
    # "La" is a surname, but not in a street's or quarter's name.
    assert person_spans("Phong trào lan dần tới khu phố La Tinh.") == []
    assert [s.display for s in person_spans("Ông Lê Văn An sống ở đường Nguyễn Huệ.")] == ["Ông Lê Văn An"]


def test_a_place_gone_to_answers_where_when_no_other_place_is_named() -> None:
    sentence = "Bộ phim khiến nhiều người yêu điện ảnh tới Montmartre để tìm kiếm các cảnh quay."
    assert _short("Cảnh quay nổi tiếng của bộ phim ở đâu?", sentence) == "Montmartre"
    assert [s.display for s in destination_spans("Ông đến Hà Nội công tác.")] == ["Hà Nội"]
    assert destination_spans("Thư được gửi đến Nguyễn Văn An.") == []  # a person
    assert destination_spans("Từ 2010 đến Năm 2015.") == []  # a time


def test_landmarks_numbered_places_and_counts() -> None:
    assert [s.display for s in landmark_spans("Kênh đổ ra sông Seine ở hạ lưu.")] == ["Sông Seine"]
    assert landmark_spans("Nhà thờ Đức Bà mang phong cách Gothic.") == []  # the subject
    assert [s.display for s in place_spans("Lương cao nhất ở Quận 7.")] == ["Quận 7"]
    assert [s.display for s in number_spans("Gần 1.650.600 vào năm 2005.", None)] == ["Gần 1.650.600"]
    assert [s.display for s in number_spans("Hơn 7 năm sau, họ gặp lại.", None)] == ["Hơn 7 năm"]
    assert number_spans("Giải đua kết thúc vào 14 tháng 7.", None) == []  # a day, not 14 months


def test_no_person_named_by_an_ordinal_or_an_unresolved_date_as_an_answer() -> None:
    # "Đệ nhất đế chế" (the First Empire) names nobody.
    assert _short("Ai đã chọn Paris làm thủ đô?", "Paris trở thành thủ đô của Đệ nhất đế chế.") is None
    # An undated article's "tháng này" cannot be resolved: it is no answer to "khi nào".
    assert _short("Giải đua kết thúc vào tháng mấy?", "Giải đua kết thúc vào tháng này ở Paris.") is None


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # A count of another kind never answers: people are not days, a sum or a share.
        ("Khóa học kéo dài mấy ngày?", "Khóa học có hơn 70 đại biểu tham dự.", None),
        ("Khóa học kéo dài mấy ngày?", "Khóa học diễn ra trong 3 ngày với 70 đại biểu.", "3 ngày"),
        ("Khóa học kéo dài mấy ngày?", "Trong 6 tháng đầu năm, khóa học thu hút 70 đại biểu.", None),
        ("Học phí khóa học là bao nhiêu?", "Khóa học có hơn 100 đồng chí tham dự.", None),
        (
            "Học phí khóa học là bao nhiêu?",
            "Học phí khóa học là 2 triệu đồng cho 30 học viên.",
            "2 triệu đồng",
        ),
        ("Tỷ lệ học viên đạt là bao nhiêu?", "Có 30 học viên, 95% đạt yêu cầu.", "95%"),
        # A particular role is counted under its own noun only, never under the attendees' noun.
        ("Khóa học có bao nhiêu báo cáo viên?", "Các báo cáo viên giảng cho hơn 70 đại biểu.", None),
        ("Khóa học có bao nhiêu báo cáo viên?", "Có 5 báo cáo viên giảng cho 70 đại biểu.", "5 báo cáo viên"),
        # A share is a "%"; the one beside the question's numbered place, not the district's number.
        (
            "Tỉ lệ người nghèo ở Quận 7 là bao nhiêu?",
            "Ở quận 7, chỉ có 7% sống dưới mức nghèo khổ; 8% trong quận 6 và 9% trong quận 16.",
            "7%",
        ),
        # Attendees under any noun for them ("đồng chí" for "đại biểu"); "quốc gia" is no price.
        ("Hội nghị có bao nhiêu đại biểu?", "Hội nghị có hơn 100 đồng chí tham dự.", "Hơn 100 đồng chí"),
        # The unit after a word of scale: "53 triệu người" counts people.
        (
            "Bao nhiêu người trưởng thành đã bị hại?",
            "Khoảng 53 triệu người đã bị hại bởi người uống rượu.",
            "Khoảng 53 triệu người",
        ),
        # The counted noun says what is counted, whatever else the question names ("chi phí").
        (
            "Bệnh viện hỗ trợ toàn bộ chi phí cho bao nhiêu ca đầu tiên?",
            "Bệnh viện sẽ miễn phí cho 50 trường hợp đầu tiên đến khám.",
            "50 trường hợp",
        ),
        # The unit the question names; never the count the question already gives.
        (
            "Hàm lượng calo trong một trái sầu riêng là bao nhiêu?",
            "Cứ 100 g sầu riêng chứa hơn 350 calo.",
            "Hơn 350 calo",
        ),
        (
            "Đứa trẻ nặng 800 g sau một tháng rưỡi đạt cân nặng bao nhiêu?",
            "Bé sinh ra nặng 800 g, sau một tháng rưỡi đã nặng hơn 2,2 kg.",
            "Hơn 2,2 kg",
        ),
        # A weight is in a unit of weight: not the "1,5 tháng" it took.
        (
            "Sau một tháng rưỡi đứa trẻ đạt cân nặng bao nhiêu?",
            "Sau hơn 1,5 tháng điều trị, bé đã nặng hơn 2,2 kg.",
            "Hơn 2,2 kg",
        ),
        ("Bao nhiêu quốc gia tham dự hội nghị?", "Đại diện 12 quốc gia tham dự hội nghị.", "12 quốc gia"),
    ],
)
def test_a_count_answers_only_a_question_about_its_kind(
    question: str, sentence: str, expected: str | None
) -> None:
    assert _short(question, sentence) == expected


def test_luck_is_not_a_count_in_an_accented_question() -> None:
    # "may mắn" (luck) folds to "may", as "mấy" does; typed with accents it is no how-many question.
    assert analyse_question("Vì sao Eli bị dao đâm mà vẫn được cho là còn may mắn?").kind == "general"
    assert analyse_question("lop co may hoc vien?").kind == "how_many"  # unaccented: "mấy"


def test_the_sentence_saying_more_of_the_question_wins_a_close_score() -> None:
    assert (
        short_answer(
            "Tỉ lệ thất nghiệp trung bình trong nhiệm kỳ của ông là bao nhiêu?",
            "Trong nhiệm kỳ của ông, tỉ lệ lạm phát trung bình là 5,3%.",
            "Suốt các nhiệm kỳ của ông, tỉ lệ thất nghiệp trung bình là 13%.",
            scores=(1.0, 0.85),
        )
        == "13%"
    )
