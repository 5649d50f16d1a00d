"""Socket.IO packets for a server that only ever sends JSON.

python-socketio looks through every payload it sends for bytes (to send them as binary
attachments), recursively: each idea of a join's snapshot, each field of each idea. Plenary
never sends bytes, and that walk cost more CPU than encoding a large join answer
(docs/PERFORMANCE.md, "Joins"). Incoming packets are decoded as before.
"""
from socketio import packet


class TextPacket(packet.Packet):
    @classmethod
    def data_is_binary(cls, data) -> bool:
        return False
