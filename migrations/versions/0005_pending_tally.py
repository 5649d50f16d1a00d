"""pending tallies: votes whose tally no version carries yet (crash-safe tallies)

Revision ID: 0005_pending_tally
Revises: 0004_access
Create Date: 2026-12-01 05:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005_pending_tally'
down_revision = '0004_access'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_tally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pending_tally', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_tally_workshop_id'), ['workshop_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('pending_tally', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_tally_workshop_id'))
    op.drop_table('pending_tally')
