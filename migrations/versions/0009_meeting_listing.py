"""bilateral meetings: each side's consent to list the meeting in the public roadmap

Revision ID: 0009_meeting_listing
Revises: 0008_meetings
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_meeting_listing'
down_revision = '0008_meetings'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meeting_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requester_listed', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('invitee_listed', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('meeting_request', schema=None) as batch_op:
        batch_op.drop_column('invitee_listed')
        batch_op.drop_column('requester_listed')
