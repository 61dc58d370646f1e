"""When-answers: a stated period as one answer, the nearest year for «năm nào?», a life's years."""

from __future__ import annotations

from tests.scored_sentences import short_answer


def test_a_period_from_one_date_to_another_is_one_answer() -> None:
    sentence = "Mitterrand đăng ký nghĩa vụ quân sự từ năm 1937 tới năm 1939 tại trung đoàn bộ binh số 23."
    assert short_answer("Mitterrand tham gia nghĩa vụ quân sự trong thời gian nào?", sentence) == (
        "Từ năm 1937 tới năm 1939"
    )
    months = "Từ tháng 3/2020 đến tháng 5/2021, đoàn công tác làm việc tại Lào."
    assert short_answer("Đoàn công tác làm việc tại Lào khi nào?", months) == "Từ 3/2020 đến 5/2021"


def test_nam_nao_takes_the_year_nearest_the_asked_act_not_the_most_precise_date() -> None:
    sentence = (
        "Thẩm phán đã kết thúc cuộc điều tra năm 2000, nhưng phải tới ngày 15 tháng 11 năm 2004 vụ việc "
        "mới được xét xử tại toà."
    )
    assert short_answer("Cuộc điều tra kết thúc vào năm nào?", sentence) == "Năm 2000"


def test_the_year_of_death_or_birth_from_a_life_s_years_after_the_name() -> None:
    sentences = (
        "Bác sĩ người Pháp Alain Bombard (1924-2005) tuyên bố đã vượt đại dương chỉ nhờ nước biển.",
        "Năm 1954, nhà thám hiểm William Willis (1897-1968) cũng uống nước biển trong 70 ngày.",
    )
    assert short_answer("Nhà thám hiểm Alain Bombard mất năm nào?", *sentences) == "Năm 2005"
    assert short_answer("Nhà thám hiểm Alain Bombard sinh năm nào?", *sentences) == "Năm 1924"


def test_advice_and_habits_are_timed_by_a_condition_not_by_the_reported_case_s_date() -> None:
    sentences = (
        "Nếu có biểu hiện chân đau nhói nhiều khi cử động, cần cố định chân bị thương bằng hai nẹp gỗ.",
        "Gia đình đưa bé đến bệnh viện ngày 26/5.",
    )
    assert short_answer("Khi nào cần dùng nẹp cố định vết thương?", *sentences) == (
        "Nếu có biểu hiện chân đau nhói nhiều khi cử động"
    )
    stage = "Thai sừng thường đến khoảng 3-4 tháng mới vỡ, trong khi thai ngoài tử cung hay vỡ lúc 1,5 đến 2,5 tháng."
    assert short_answer("Thai ngoài tử cung thường vỡ khi nào?", stage) == "Lúc 1,5 đến 2,5 tháng"
    assert short_answer(
        "Nên uống nước chanh khi nào?", "Nên uống nước chanh vào buổi sáng, trước khi đánh răng."
    ) == ("Buổi sáng")
    # A question about one past event keeps its date.
    assert short_answer("Gia đình đã đưa bé đến bệnh viện khi nào?", *sentences) == "Ngày 26/5"


def test_an_event_timed_by_another_event_is_answered_by_its_clause() -> None:
    assert (
        short_answer(
            "Tiếng Pháp bắt đầu được truyền bá ở đây từ khi nào?",
            "Tiếng Pháp bắt đầu được truyền bá khi các khu định cư của người Pháp hình thành, và nay được nói khắp nơi.",
            "Theo điều tra năm 2009, 97% dân số nói được tiếng Pháp.",
        )
        == "Khi các khu định cư của người Pháp hình thành"
    )
    # "Khi X thì Y": the condition is X.
    assert (
        short_answer(
            "Từ khi nào natri không còn được lọc từ đáy đại dương?",
            "Khi các đại dương hình thành thì natri không còn được lọc ra từ đáy đại dương.",
        )
        == "Khi các đại dương hình thành"
    )
    # A date, where the sentence gives one, still answers.
    assert short_answer("Khi nào ông bị bắt?", "Ông bị bắt ngày 3/4/1942 khi đang họp.") == "3/4/1942"


def test_two_bare_years_after_tu_make_a_period() -> None:
    sentence = "Sau đó, nhất là từ 1975 đến 1985, Montréal là nơi tiếp nhận người Việt nhiều nhất tại Canada."
    question = "Trong khoảng thời gian nào Montréal là nơi tiếp nhận người Việt nhiều nhất?"
    assert short_answer(question, sentence) == "Từ 1975 đến 1985"


def test_decades_and_millennia_as_the_article_spells_them() -> None:
    assert short_answer(
        "Hoàng đế thành lập vô số ủy ban vào thời gian nào?",
        "Vào thập kỉ 1690, ông đã thành lập vô số ủy ban.",
    ) == ("Thập kỉ 1690")
    okunev = "Nghề gia công kim thuộc phát triển trong văn hóa Okunev (thiên niên kỷ 2 TCN) ở Mông Cổ."
    assert short_answer("Văn hóa Okunev xuất hiện vào thời gian nào?", okunev) == "Thiên niên kỷ 2 TCN"
