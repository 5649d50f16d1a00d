"""access: event organisers (owner, co-organisers), the site administrator, projector links

Revision ID: 0004_access
Revises: 0003_roadmap
Create Date: 2026-12-01 04:30:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0004_access'
down_revision = '0003_roadmap'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_organiser',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ),
    sa.ForeignKeyConstraint(['organiser_id'], ['organiser.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'organiser_id')
    )
    with op.batch_alter_table('event_organiser', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_organiser_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_organiser_organiser_id'), ['organiser_id'],
                              unique=False)
    with op.batch_alter_table('organiser', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_admin', sa.Boolean(), nullable=False,
                                      server_default=sa.text('false')))
        batch_op.add_column(sa.Column('login_version', sa.Integer(), nullable=False,
                                      server_default=sa.text('0')))
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('screen_token', sa.String(length=64), nullable=True))

    bind = op.get_bind()
    # The first account is the site administrator; an event's creator is its owner.
    first = bind.execute(sa.text('SELECT MIN(id) FROM organiser')).scalar()
    if first is not None:
        bind.execute(sa.text('UPDATE organiser SET is_admin = true WHERE id = :id'), {'id': first})
    bind.execute(sa.text(
        "INSERT INTO event_organiser (event_id, organiser_id, role, added_at) "
        "SELECT id, created_by_id, 'owner', created_at FROM event WHERE created_by_id IS NOT NULL"))
    for (workshop_id,) in bind.execute(sa.text('SELECT id FROM workshop')).fetchall():
        bind.execute(sa.text('UPDATE workshop SET screen_token = :token WHERE id = :id'),
                     {'token': secrets.token_urlsafe(24), 'id': workshop_id})
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.alter_column('screen_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint('uq_workshop_screen_token', ['screen_token'])


def downgrade():
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_constraint('uq_workshop_screen_token', type_='unique')
        batch_op.drop_column('screen_token')
    with op.batch_alter_table('organiser', schema=None) as batch_op:
        batch_op.drop_column('login_version')
        batch_op.drop_column('is_admin')
    with op.batch_alter_table('event_organiser', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_organiser_organiser_id'))
        batch_op.drop_index(batch_op.f('ix_event_organiser_event_id'))
    op.drop_table('event_organiser')
