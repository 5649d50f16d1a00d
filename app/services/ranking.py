"""The one ranking rule, for every screen and every export: most votes first; equal votes
share a rank (1, 2, 2, 4: competition ranking) and are listed in board order (a theme by
its position on the board, an idea by age). The browser applies the same rule to live
tallies (static/js/realtime.js: `ranked`, `byVotes`, `rankOf`)."""


def ranks(votes: list[int]) -> list[int]:
    """Ranks for counts already in ranked order: ties share the better rank."""
    out, rank = [], 0
    for position, count in enumerate(votes, start=1):
        if position == 1 or count != votes[position - 2]:
            rank = position
        out.append(rank)
    return out


def ranked(items: list, votes, board_order) -> list:
    """`items` in ranked order; `votes(item)` its count, `board_order(item)` its place."""
    return sorted(items, key=lambda item: (-votes(item), board_order(item)))
