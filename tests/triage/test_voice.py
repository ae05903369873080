import pytest

from tipline.triage.voice import story_voice


@pytest.mark.parametrize(
    ("story", "voice"),
    [
        ("Em 15 tuổi. Có người có ảnh riêng tư của em, đòi em chuyển 2 củ.", "child"),
        ("e 16t bị dọa tung ảnh", "child"),
        ("Mình học lớp 9, có người đòi tiền không thì gửi cho bố mẹ mình.", "child"),
        ("I'm 14 and someone has my photos", "child"),
        ("he says he will send the pictures of me to my class", "child"),
        ("Con tôi 13 tuổi bị người lạ dụ gửi ảnh", "parent"),
        ("Con gái em năm nay 14 tuổi bị dọa tung ảnh", "parent"),
        ("My daughter is 13 and a man asked her for pictures", "parent"),
        # A mother quoting what her daughter wrote ("bố mẹ em") is still a mother.
        ("Con tôi nhắn: nó dọa gửi ảnh cho bố mẹ em", "parent"),
        ("Học sinh của tôi bị một tài khoản dọa tung ảnh", "teacher"),
        ("One of my students is being threatened", "teacher"),
        ("Someone asked for pictures of a child on Facebook", None),
        ("Tôi 35 tuổi bị lừa chuyển tiền", None),  # an adult's age is no child's voice
        ("I'm 19 and he has my number", None),
    ],
)
def test_who_writes_is_read_from_the_story(story: str, voice: str | None) -> None:
    assert story_voice(story) == voice
