"""the projector's view is server state: page, spotlight, hidden tallies, auto-advance

A reloaded or second projector shows what the facilitator chose (docs/PROTOCOL.md,
`projector.set` and `projector.changed`). Every column has a server default, so existing
workshops show page 1, no spotlight, live tallies, no auto-advance and the full join panel.

Revision ID: 0007_projector_view
Revises: 0006_grouping_phase
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_projector_view'
down_revision = '0006_grouping_phase'
branch_labels = None
depends_on = None

COLUMNS = (
    ('projector_page', sa.Integer(), '0'),
    ('projector_spotlight_id', sa.Integer(), None),
    ('projector_hide_tallies', sa.Boolean(), sa.false()),
    ('projector_auto_advance', sa.Integer(), '0'),
    ('projector_small_join', sa.Boolean(), sa.false()),
)


def upgrade():
    with op.batch_alter_table('workshop') as batch:
        for name, type_, default in COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=default is None,
                                       server_default=default))


def downgrade():
    with op.batch_alter_table('workshop') as batch:
        for name, _type, _default in reversed(COLUMNS):
            batch.drop_column(name)
