// Baseline: a bare socket.io 4.8 server with the same events as bench/baseline_flask.py:
// join -> room, post -> broadcast, vote -> count and broadcast totals (coalesced every
// TALLY_INTERVAL seconds), phase.set -> broadcast. No database, no auth.
const http = require("http");
const { Server } = require("socket.io");

const interval = parseFloat(process.env.TALLY_INTERVAL || "0.15") * 1000;
const server = http.createServer((req, res) => { res.writeHead(200); res.end("baseline"); });
const io = new Server(server, { transports: ["websocket"], serveClient: false });
let version = 0;
let nextId = 1;
const votes = new Map();
const changed = new Set();
let flushPending = false;

const envelope = (type, data) => ({ version: ++version, type, data });

io.on("connection", (socket) => {
  socket.on("workshop.join", (p, ack) => {
    socket.join(`w:${p.workshop_id}`);
    ack({ ok: true, role: p.role, version });
  });
  socket.on("idea.post", (p, ack) => {
    const idea = { id: nextId++, text: p.text, votes: 0 };
    const message = envelope("idea.posted", { idea });
    io.to(`w:${p.workshop_id}`).emit("idea.posted", message);
    ack({ ok: true, idea, version: message.version });
  });
  socket.on("phase.set", (p, ack) => {
    const message = envelope("phase.changed", { phase: p.phase });
    io.to(`w:${p.workshop_id}`).emit("phase.changed", message);
    ack({ ok: true, phase: p.phase, version: message.version });
  });
  socket.on("vote.cast", (p, ack) => {
    votes.set(p.idea_id, (votes.get(p.idea_id) || 0) + 1);
    changed.add(p.idea_id);
    if (!flushPending) {
      flushPending = true;
      setTimeout(() => {
        const tallies = {};
        for (const id of changed) tallies[id] = votes.get(id);
        changed.clear();
        flushPending = false;
        io.to(`w:${p.workshop_id}`).emit("votes.tallied", envelope("votes.tallied", { tallies }));
      }, interval);
    }
    ack({ ok: true, idea_id: p.idea_id });
  });
});

server.listen(parseInt(process.env.PORT || "5002", 10), process.env.HOST || "127.0.0.1");
