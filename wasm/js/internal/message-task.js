// A macrotask that browsers do not clamp: nested zero timers are held to 4 ms
// there, a MessageChannel message is not. Tasks run in the order they were
// queued. Falls back to a zero timer where there is no MessageChannel.
export function messageChannelTask() {
  if (typeof MessageChannel !== 'function') return (fn) => setTimeout(fn, 0);
  const queue = [];
  const ch = new MessageChannel();
  ch.port1.onmessage = () => queue.shift()();
  return (fn) => {
    queue.push(fn);
    ch.port2.postMessage(null);
  };
}
