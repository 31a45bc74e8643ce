"""A pasted transcript becomes turns with the same speaker names the API accepts."""

from assist.staff.transcript import parse_transcript


def test_lines_become_turns_with_known_speakers():
    block = "客户：我是他的法务\n坐席: 请问您是哪位？\n\n来电人：以后找我\n没有说话人的一行\n客服：好的：稍等"
    assert parse_transcript(block) == [
        {"speaker": "caller", "text": "我是他的法务"}, {"speaker": "agent", "text": "请问您是哪位？"},
        {"speaker": "caller", "text": "以后找我"}, {"speaker": "caller", "text": "没有说话人的一行"},
        {"speaker": "agent", "text": "好的：稍等"}]
    assert parse_transcript("  \n") == []
