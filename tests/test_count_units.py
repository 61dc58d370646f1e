"""How-many answers in the units articles use: temperatures with their sign, sums in dollars, a count
after «trong số», and the number a question asks by «<noun> số bao nhiêu»."""

from __future__ import annotations

from assistant.answering.count_answers import designated_noun
from assistant.answering.number_spans import number_spans
from tests.scored_sentences import short_answer

WINTER = (
    "Vùng nội địa có khí hậu lục địa với nhiệt độ trung bình ngày là gần −15 °C (5 °F), song có thể "
    "xuống dưới −40 °C (−40 °F) khi có gió lạnh."
)


def test_temperatures_keep_their_sign_and_unit_and_not_the_conversion() -> None:
    assert [s.display for s in number_spans(WINTER, None)] == ["Gần −15 °C", "Dưới −40 °C"]
    assert [s.display for s in number_spans("Nước biển đóng băng ở khoảng -2 °C.", None)] == ["Khoảng -2 °C"]
    # A hyphen between two numbers is a range, not a sign.
    assert [s.display for s in number_spans("Trẻ đi học từ 5-7 tuổi.", None)] == ["5-7 tuổi"]


def test_a_temperature_question_is_answered_by_a_temperature_not_another_number() -> None:
    sentence = "Điểm đóng băng của nước biển là khoảng -2 °C ở nồng độ 35‰ và 1.020 kg/m³."
    assert short_answer("Nước biển đóng băng ở nhiệt độ bao nhiêu?", sentence) == "Khoảng -2 °C"
    assert short_answer("Mùa đông ở vùng nội địa lạnh tới bao nhiêu độ?", WINTER) == "Dưới −40 °C"
    assert short_answer("Nhiệt độ trung bình ngày ở vùng nội địa là bao nhiêu?", WINTER) == "Gần −15 °C"


def test_sums_in_dollars_are_money() -> None:
    sentence = "Nó thuê công ty Hill and Knowlton với giá 11 triệu dollar do chính phủ Kuwait cung cấp."
    assert short_answer("Công ty Hill and Knowlton được thuê với số tiền bao nhiêu?", sentence) == (
        "11 triệu dollar"
    )
    assert short_answer("Giá vé là bao nhiêu?", "Giá vé là 2 đô la, rẻ hơn hôm qua 3 độ.") == "2 đô la"


def test_trong_so_before_a_number_counts_it() -> None:
    sentence = "Tỷ lệ ung thư trong số 19.000 công nhân ở Oak Ridge không tăng."
    assert [s.display for s in number_spans(sentence, None)] == ["19.000 công nhân"]
    # "số" alone still names: "Chỉ thị số 25" is not twenty-five directives.
    assert number_spans("Ban hành Chỉ thị số 25 về đối ngoại.", None) == []


def test_the_number_a_noun_is_known_by() -> None:
    assert designated_noun("Iraq bị trừng phạt qua nghị quyết số bao nhiêu?") == "nghi quyet"
    assert designated_noun("Bán kính lên đến con số bao nhiêu?") is None
    sentence = "Ngày 6 tháng 8, Hội đồng Bảo an thông qua Nghị quyết 661, áp đặt trừng phạt kinh tế lên Iraq."
    assert short_answer("Hội đồng Bảo an trừng phạt Iraq qua nghị quyết số bao nhiêu?", sentence) == (
        "Nghị quyết 661"
    )


def test_counts_spelled_in_words_and_people_counted_by_what_they_did() -> None:
    assert short_answer("Chiếc lu chứa nước cao mấy mét?", "Chiếc lu cao khoảng một mét, đặt ở góc sân.") == (
        "Một mét"
    )
    sentence = "Sau năm 1975, Việt Nam có khoảng ba triệu người bị khuyết tật bẩm sinh do chất độc da cam."
    assert short_answer(
        "Có khoảng bao nhiêu người gặp khuyết tật bẩm sinh do chất độc da cam?", sentence
    ) == ("Ba triệu người")
    operated = "Ca mổ kéo dài 2 giờ, do 6 y bác sĩ của Bệnh viện Rajaji thực hiện."
    assert short_answer("Có bao nhiêu người mổ cho Sakthivel?", operated) == "6 y bác sĩ"
    assert short_answer("Bệnh nhân trải qua phẫu thuật bao nhiêu lâu?", operated) == "2 giờ"
    # "một" counts only the noun asked: "Một người dân cho biết" is no count of attendees.
    assert short_answer("Có bao nhiêu đại biểu tham dự?", "Một người dân cho biết hội nghị rất đông.") is None


def test_the_unit_is_shown_as_whole_words_not_cut_where_the_question_s_syllables_end() -> None:
    sentence = "Từ 1562 tới 1598, Paris chứng kiến 8 cuộc xung đột tôn giáo lớn."
    assert (
        short_answer("Từ 1562 tới 1598 có mấy cuộc xung đột tôn giáo ở Paris?", sentence) == "8 cuộc xung đột"
    )
    # A whole noun of people is not lengthened into the next word.
    assert short_answer("Có bao nhiêu người dự?", "Có 70 người làm việc và dự lễ.") == "70 người"


def test_a_plain_syllable_of_an_accented_question_is_no_stopword() -> None:
    assert designated_noun("Có bao nhiêu tu viện?") is None
    from assistant.answering.count_answers import counted_noun

    assert counted_noun("Ngoại Mông có tất cả bao nhiêu tu viện tính đến năm 1911?") == "tu viện"
    sentence = "Đến năm 1911, có trên 700 tu viện lớn nhỏ tại Ngoại Mông; 115.000 tăng nhân chiếm 21% dân số."
    assert short_answer("Ngoại Mông có bao nhiêu tu viện năm 1911?", sentence) == "Trên 700 tu viện"
