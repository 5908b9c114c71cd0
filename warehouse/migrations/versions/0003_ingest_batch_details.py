"""ingest batches: file hash, rows inserted/updated, columns dropped, refusal message

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 08:11:32.542591
"""

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ingest_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('rows_inserted', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('rows_updated', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('columns_dropped', sa.Text(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('message', sa.Text(), nullable=True))
    # Batches written before this revision (the demo generator's) inserted every row they loaded.
    op.execute("UPDATE ingest_batches SET rows_inserted = rows_loaded")


def downgrade() -> None:
    with op.batch_alter_table('ingest_batches', schema=None) as batch_op:
        batch_op.drop_column('message')
        batch_op.drop_column('columns_dropped')
        batch_op.drop_column('rows_updated')
        batch_op.drop_column('rows_inserted')
        batch_op.drop_column('file_sha256')
