"""bilateral meetings: the event's plan, people, requests, seats and blocks; workshop times

Database-enforced: a person is in one meeting per slot (meeting_seat unique person/slot), a
table is used once per slot (meeting_request unique event/slot/table), one open request
per pair (meeting_request unique event/open_pair; NULL once declined or cancelled).

Revision ID: 0008_meetings
Revises: 0007_projector_view
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_meetings'
down_revision = '0007_projector_view'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starts_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('ends_at', sa.DateTime(), nullable=True))
    op.create_table('meeting_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('days', sa.JSON(), nullable=False),
    sa.Column('day_start', sa.String(length=5), nullable=False),
    sa.Column('day_end', sa.String(length=5), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('breaks', sa.JSON(), nullable=False),
    sa.Column('tables', sa.JSON(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('max_meetings', sa.Integer(), nullable=False),
    sa.Column('frozen_summary', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id')
    )
    op.create_table('meeting_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'token')
    )
    with op.batch_alter_table('meeting_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_person_event_id'), ['event_id'],
                              unique=False)
    op.create_table('meeting_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('invitee_id', sa.Integer(), nullable=False),
    sa.Column('open_pair', sa.String(length=40), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('slot_start', sa.DateTime(), nullable=True),
    sa.Column('table_name', sa.String(length=80), nullable=True),
    sa.Column('shared', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ),
    sa.ForeignKeyConstraint(['invitee_id'], ['meeting_person.id'], ),
    sa.ForeignKeyConstraint(['requester_id'], ['meeting_person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'open_pair'),
    sa.UniqueConstraint('event_id', 'slot_start', 'table_name')
    )
    with op.batch_alter_table('meeting_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_request_event_id'), ['event_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_request_invitee_id'), ['invitee_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_request_requester_id'), ['requester_id'],
                              unique=False)
    op.create_table('meeting_seat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('slot_start', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting_request.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['meeting_person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'slot_start')
    )
    with op.batch_alter_table('meeting_seat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_seat_meeting_id'), ['meeting_id'],
                              unique=False)
    op.create_table('meeting_block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('blocker_id', sa.Integer(), nullable=False),
    sa.Column('blocked_id', sa.Integer(), nullable=False),
    sa.Column('reported', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['blocked_id'], ['meeting_person.id'], ),
    sa.ForeignKeyConstraint(['blocker_id'], ['meeting_person.id'], ),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('blocker_id', 'blocked_id')
    )
    with op.batch_alter_table('meeting_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_block_blocked_id'), ['blocked_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_block_event_id'), ['event_id'],
                              unique=False)


def downgrade():
    op.drop_table('meeting_block')
    op.drop_table('meeting_seat')
    op.drop_table('meeting_request')
    op.drop_table('meeting_person')
    op.drop_table('meeting_plan')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('ends_at')
        batch_op.drop_column('starts_at')
