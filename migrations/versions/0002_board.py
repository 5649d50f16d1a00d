"""board: themes, idea placement and merges, moderation, action history, the clock

Revision ID: 0002_board
Revises: 0001_initial
Create Date: 2026-11-24 22:49:52.424168

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_board'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('board_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('board_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_action_workshop_id'), ['workshop_id'],
                              unique=False)

    op.create_table('theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('colour', sa.String(length=7), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_workshop_id'), ['workshop_id'], unique=False)

    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clock_ends_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('clock_remaining_ms', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('clock_advance', sa.Boolean(), nullable=False,
                                      server_default=sa.text('false')))
        for flag in ('premoderation', 'hide_until_reveal'):
            batch_op.add_column(sa.Column(flag, sa.Boolean(), nullable=False,
                                          server_default=sa.text('false')))
        batch_op.add_column(sa.Column('vote_on', sa.String(length=8), server_default='ideas',
                                      nullable=False))

    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('theme_id', sa.Integer(), nullable=True))
        batch_op.alter_column('idea_id', existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(batch_op.f('ix_vote_theme_id'), ['theme_id'], unique=False)
        batch_op.create_unique_constraint('uq_vote_participant_id_theme_id',
                                          ['participant_id', 'theme_id'])
        batch_op.create_foreign_key('fk_vote_theme_id_theme', 'theme', ['theme_id'], ['id'])

    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.add_column(sa.Column('theme_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        for flag in ('hidden', 'pinned', 'deleted'):
            batch_op.add_column(sa.Column(flag, sa.Boolean(), nullable=False,
                                          server_default=sa.text('false')))
        for flag in ('approved', 'revealed'):
            batch_op.add_column(sa.Column(flag, sa.Boolean(), nullable=False,
                                          server_default=sa.text('true')))
        batch_op.create_index(batch_op.f('ix_idea_theme_id'), ['theme_id'], unique=False)
        batch_op.create_foreign_key('fk_idea_theme_id_theme', 'theme', ['theme_id'], ['id'])
        batch_op.create_foreign_key('fk_idea_merged_into_id_idea', 'idea', ['merged_into_id'],
                                    ['id'])



def downgrade():
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_constraint('fk_vote_theme_id_theme', type_='foreignkey')
        batch_op.drop_constraint('uq_vote_participant_id_theme_id', type_='unique')
        batch_op.drop_index(batch_op.f('ix_vote_theme_id'))
        batch_op.alter_column('idea_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('theme_id')

    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.drop_constraint('fk_idea_merged_into_id_idea', type_='foreignkey')
        batch_op.drop_constraint('fk_idea_theme_id_theme', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_idea_theme_id'))
        for flag in ('revealed', 'approved', 'deleted', 'pinned', 'hidden'):
            batch_op.drop_column(flag)
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('position')
        batch_op.drop_column('theme_id')

    with op.batch_alter_table('workshop', schema=None) as batch_op:
        for column in ('vote_on', 'hide_until_reveal', 'premoderation', 'clock_advance',
                       'clock_remaining_ms', 'clock_ends_at'):
            batch_op.drop_column(column)

    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_workshop_id'))

    op.drop_table('theme')
    with op.batch_alter_table('board_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_action_workshop_id'))

    op.drop_table('board_action')
