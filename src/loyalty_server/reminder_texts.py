"""The reminder e-mails' words, in the member's language (en, zh-Hans, zh-Hant)."""

from __future__ import annotations

from datetime import date

_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "points_expiring": (
            "{brand}: {points} points expire on {date}",
            "{points} of your {brand} points expire on {date}.\n"
            "Spend them on a reward in the app before then.\n",
        ),
        "voucher_expiring": (
            "{brand}: your voucher expires on {date}",
            "Your voucher for {reward} (code {code}) expires on {date}.\n"
            "Show it at the till before then.\n",
        ),
        "footer": (
            "",
            "\nYou get this because reminders are on; turn them off in the app's Settings.\n",
        ),
    },
    "zh-Hans": {
        "points_expiring": (
            "{brand}：{points} 积分将于 {date} 过期",
            "你在{brand}的 {points} 积分将于 {date} 过期。\n请在此之前到应用中兑换奖励。\n",
        ),
        "voucher_expiring": (
            "{brand}：你的兑换券将于 {date} 过期",
            "你的{reward}兑换券（券码 {code}）将于 {date} 过期。\n请在此之前到店出示。\n",
        ),
        "footer": ("", "\n你开启了到期提醒；可在应用的设置中关闭。\n"),
    },
    "zh-Hant": {
        "points_expiring": (
            "{brand}：{points} 積分將於 {date} 到期",
            "你在{brand}的 {points} 積分將於 {date} 到期。\n請在此之前到應用程式中兌換獎勵。\n",
        ),
        "voucher_expiring": (
            "{brand}：你的兌換券將於 {date} 到期",
            "你的{reward}兌換券（券碼 {code}）將於 {date} 到期。\n請在此之前到店出示。\n",
        ),
        "footer": ("", "\n你開啟了到期提醒；可在應用程式的設定中關閉。\n"),
    },
}


def reminder_text(
    language: str,
    kind: str,
    *,
    brand: str,
    on: date | None,
    points: int | None = None,
    reward: str = "",
    code: str = "",
) -> tuple[str, str]:
    """The subject and body of a reminder of ``kind`` (rules.inbox.REMINDER_KINDS)."""
    texts = _TEXTS.get(language, _TEXTS["en"])
    subject, body = texts[kind]
    values = {
        "brand": brand,
        "date": on.isoformat() if on else "",
        "points": points or 0,
        "reward": reward,
        "code": code,
    }
    return subject.format(**values), body.format(**values) + texts["footer"][1]
