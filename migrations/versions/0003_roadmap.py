"""roadmap: conclusions, action items, recurring themes, publishing, privacy, matches

Revision ID: 0003_roadmap
Revises: 0002_board
Create Date: 2026-11-25 03:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003_roadmap'
down_revision = '0002_board'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('recurring_theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('recurring_theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recurring_theme_event_id'), ['event_id'],
                              unique=False)

    op.create_table('conclusion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], ),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('theme_id'),
    sa.UniqueConstraint('idea_id')
    )
    with op.batch_alter_table('conclusion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conclusion_workshop_id'), ['workshop_id'],
                              unique=False)

    op.create_table('action_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('what', sa.String(length=300), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('horizon', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], ),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_item_workshop_id'), ['workshop_id'],
                              unique=False)

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_token', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('personal_data_erased_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint('uq_event_published_token', ['published_token'])

    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('segments_frozen', sa.JSON(), nullable=True))

    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('match_opt_in', sa.Boolean(), nullable=False,
                                      server_default=sa.text('false')))

    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recurring_theme_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_theme_recurring_theme_id'), ['recurring_theme_id'],
                              unique=False)
        batch_op.create_foreign_key('fk_theme_recurring_theme_id', 'recurring_theme',
                                    ['recurring_theme_id'], ['id'])


def downgrade():
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_constraint('fk_theme_recurring_theme_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_theme_recurring_theme_id'))
        batch_op.drop_column('recurring_theme_id')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('match_opt_in')
        batch_op.drop_column('contact')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('segments_frozen')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint('uq_event_published_token', type_='unique')
        batch_op.drop_column('personal_data_erased_at')
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('published_token')
    op.drop_table('action_item')
    op.drop_table('conclusion')
    op.drop_table('recurring_theme')
