"""the phase that groups ideas into themes is `grouping` (was `clustering`)

Our users are industry clusters, so the product never calls idea groups "clusters". The
wire value changes too (docs/PROTOCOL.md): stored workshops and the change log that
clients replay (phase.changed rows) are rewritten, so a client syncing from any version
sees only the new name.

Revision ID: 0006_grouping_phase
Revises: 0005_pending_tally
Create Date: 2026-12-01 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_grouping_phase'
down_revision = '0005_pending_tally'
branch_labels = None
depends_on = None

workshop = sa.table('workshop', sa.column('phase', sa.String))
change = sa.table('change', sa.column('id', sa.Integer), sa.column('type', sa.String),
                  sa.column('data', sa.JSON))


def _rename(old: str, new: str) -> None:
    bind = op.get_bind()
    bind.execute(workshop.update().where(workshop.c.phase == old).values(phase=new))
    rows = bind.execute(sa.select(change.c.id, change.c.data)
                        .where(change.c.type == 'phase.changed')).all()
    for row_id, data in rows:
        if not isinstance(data, dict):
            continue
        renamed = {key: (new if key in ('phase', 'previous') and value == old else value)
                   for key, value in data.items()}
        if renamed != data:
            bind.execute(change.update().where(change.c.id == row_id).values(data=renamed))


def upgrade():
    _rename('clustering', 'grouping')


def downgrade():
    _rename('grouping', 'clustering')
