import { afterEach, describe, expect, it, vi } from "vitest";
import { flushAll, inTurn, saver, saveStateText, type SaveState } from "./save";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const disposers: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(disposers.splice(0).map((dispose) => dispose()));
});

/** A write that answers only when told to, and remembers what it was sent and how many ran at once. */
function heldWrites<T>() {
  const sent: T[] = [];
  const pending: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const write = (value: T) =>
    new Promise<void>((resolve, reject) => {
      sent.push(value);
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      const done = () => (running -= 1);
      pending.push({
        resolve: () => {
          done();
          resolve();
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
    });
  return { sent, pending, write, mostAtOnce: () => mostAtOnce };
}

function track<T>(key: string, options: Parameters<typeof saver<T>>[1]) {
  const states: SaveState[] = [];
  const one = saver<T>(key, { ...options, onState: (state) => states.push(state) });
  disposers.push(() => one.dispose());
  return { one, states, kinds: () => states.map((state) => state.kind) };
}

describe("the save queue", () => {
  it("coalesces rapid edits into one write of the latest value, once typing pauses", async () => {
    vi.useFakeTimers();
    let text = "";
    const write = vi.fn(async (_value: string) => {});
    const { one, kinds } = track("note:s-1", { current: () => text, stored: "", write, delayMs: 700 });

    for (const letter of "Slept") {
      text += letter;
      one.edited();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(write).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(599);
    expect(write).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(write.mock.calls).toEqual([["Slept"]]);
    expect(kinds()).toEqual(["saving", "saved"]);
    expect(saveStateText(one.state())).toBe("Saved");
  });

  it("never runs two writes for one key at once: the next waits, then sends what is on screen by then", async () => {
    let text = "a";
    const writes = heldWrites<string>();
    const { one } = track("pn:s-1", { current: () => text, stored: "", write: writes.write, delayMs: 10_000 });

    const first = one.flush();
    await vi.waitFor(() => expect(writes.sent).toEqual(["a"]));
    text = "ab";
    one.edited();
    const second = one.flush();
    text = "abc";
    one.edited();
    // Asked again before the second has started: it joins the one waiting its turn.
    const third = one.flush();
    expect(third).toBe(second);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(writes.sent).toEqual(["a"]);

    writes.pending[0].resolve();
    await vi.waitFor(() => expect(writes.sent).toEqual(["a", "abc"]));
    writes.pending[1].resolve();
    await expect(Promise.all([first, second, third])).resolves.toEqual([true, true, true]);
    expect(writes.mostAtOnce()).toBe(1);
    // Nothing changed since: nothing more to send.
    expect(await one.flush()).toBe(true);
    expect(writes.sent).toHaveLength(2);
  });

  it("queues a new screen's write behind the last write of the screen that left, for the same key", async () => {
    const writes = heldWrites<string>();
    const leaving = saver("note:s-1", { current: () => "old screen", stored: "", write: writes.write, delayMs: 10_000 });
    const last = leaving.dispose();
    await vi.waitFor(() => expect(writes.sent).toEqual(["old screen"]));
    const { one } = track("note:s-1", { current: () => "new screen", stored: "", write: writes.write, delayMs: 10_000 });
    const next = one.flush();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(writes.sent).toEqual(["old screen"]);
    writes.pending[0].resolve();
    await vi.waitFor(() => expect(writes.sent).toEqual(["old screen", "new screen"]));
    writes.pending[1].resolve();
    await expect(Promise.all([last, next])).resolves.toEqual([true, true]);
    expect(writes.mostAtOnce()).toBe(1);
  });

  it("keeps different keys apart: one key's slow write does not hold up another's", async () => {
    const writes = heldWrites<string>();
    const quick = vi.fn(async (_value: string) => {});
    const slow = track("note:s-1", { current: () => "slow", stored: "", write: writes.write, delayMs: 10_000 });
    const fast = track("pn:s-1", { current: () => "fast", stored: "", write: quick, delayMs: 10_000 });
    const pending = slow.one.flush();
    await vi.waitFor(() => expect(writes.sent).toEqual(["slow"]));
    expect(await fast.one.flush()).toBe(true);
    expect(quick).toHaveBeenCalledWith("fast");
    writes.pending[0].resolve();
    expect(await pending).toBe(true);
  });

  it("reports a refusal with Rust's sentence, keeps what was typed and tries again on the next flush", async () => {
    let text = "a";
    const write = vi.fn(async (value: string) => {
      if (value === "bad") throw { code: "invalid_input", message: "The ride's phone number looks incomplete.", field: "ridePhone" };
    });
    const { one, states, kinds } = track("dosing-plan:s-1", { current: () => text, stored: "a", write, delayMs: 10_000 });

    // Nothing differs from what is stored: nothing is sent.
    expect(await one.flush()).toBe(true);
    expect(write).not.toHaveBeenCalled();

    text = "bad";
    expect(await one.flush()).toBe(false);
    expect(states.at(-1)).toEqual({
      kind: "error",
      error: { code: "invalid_input", message: "The ride's phone number looks incomplete.", field: "ridePhone" },
    });
    expect(saveStateText(one.state())).toBe("");
    expect(await one.flush()).toBe(false);
    expect(write).toHaveBeenCalledTimes(2);

    // Put back as stored: the refusal no longer stands, and nothing is sent.
    text = "a";
    expect(await one.flush()).toBe(true);
    expect(kinds().at(-1)).toBe("idle");
    expect(write).toHaveBeenCalledTimes(2);

    text = "ab";
    expect(await one.flush()).toBe(true);
    expect(kinds().slice(-2)).toEqual(["saving", "saved"]);
  });

  it("without a stored value, sends only what was edited; an edit during a failed write is kept for the retry", async () => {
    let full = true;
    const write = vi.fn(async (_value: string) => {
      if (full) throw new Error("The disk is full.");
    });
    const { one, states } = track("draft:vitals:s-1", { current: () => "132/84", write, delayMs: 10_000 });
    expect(await one.flush()).toBe(true);
    expect(write).not.toHaveBeenCalled();
    one.edited();
    expect(await one.flush()).toBe(false);
    expect(states.at(-1)).toMatchObject({ kind: "error", error: { message: "The disk is full." } });
    full = false;
    expect(await one.flush()).toBe(true);
    expect(write).toHaveBeenCalledTimes(2);
  });

  it("after a reset, drops the pending write and lets no late answer count", async () => {
    vi.useFakeTimers();
    let text = "typed";
    const writes = heldWrites<string>();
    const { one, kinds } = track("note:s-1", { current: () => text, stored: "", write: writes.write, delayMs: 500 });
    const sending = one.flush();
    await vi.advanceTimersByTimeAsync(0);
    one.reset("carried over");
    expect(kinds().at(-1)).toBe("idle");
    writes.pending[0].resolve();
    await sending;
    // The late answer does not claim "Saved", and the new stored value stands.
    expect(kinds().at(-1)).toBe("idle");
    text = "carried over";
    one.edited();
    await vi.advanceTimersByTimeAsync(500);
    expect(writes.sent).toEqual(["typed"]);
  });

  it("runs tasks under one key in the order asked, even when one fails", async () => {
    const order: string[] = [];
    let release!: () => void;
    const first = inTurn(
      "dosing:s-1",
      () =>
        new Promise<void>((resolve) => {
          release = () => {
            order.push("first");
            resolve();
          };
        }),
    );
    const failing = inTurn("dosing:s-1", async () => {
      order.push("second");
      throw new Error("refused");
    });
    const third = inTurn("dosing:s-1", async () => {
      order.push("third");
      return 3;
    });
    await Promise.resolve();
    expect(order).toEqual([]);
    release();
    await first;
    await expect(failing).rejects.toThrow("refused");
    await expect(third).resolves.toBe(3);
    expect(order).toEqual(["first", "second", "third"]);
  });
});

describe("flushAll", () => {
  it("sends every pending write at once, under every key, and waits for writes under way", async () => {
    vi.useFakeTimers();
    const noteWrite = vi.fn(async (_value: string) => {});
    const note = track("note:s-1", { current: () => "Slept well", stored: "", write: noteWrite, delayMs: 700 });
    const draftWrite = vi.fn(async (_value: string) => {});
    const draft = track("draft:addendum:s-1", { current: () => "Half a thought", write: draftWrite, delayMs: 600 });
    note.one.edited();
    draft.one.edited();
    let released = false;
    let release!: () => void;
    void inTurn("dosing:s-1", () => new Promise<void>((resolve) => (release = resolve))).then(() => (released = true));

    let done = false;
    const all = flushAll().then((saved) => {
      done = true;
      return saved;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(noteWrite).toHaveBeenCalledWith("Slept well");
    expect(draftWrite).toHaveBeenCalledWith("Half a thought");
    // A write already under way (a tick on the dosing record) is waited for.
    expect(done).toBe(false);
    release();
    expect(await all).toBe(true);
    expect(released).toBe(true);
    // The pauses were replaced, not added to.
    await vi.advanceTimersByTimeAsync(1000);
    expect(noteWrite).toHaveBeenCalledTimes(1);
    expect(draftWrite).toHaveBeenCalledTimes(1);
  });

  it("says false when something could not be stored, and forgets a saver once its screen has gone", async () => {
    const write = vi.fn(async (_value: string) => {
      throw { code: "locked", message: "The vault is locked." };
    });
    const gone = saver("pn:s-1", { current: () => "Transference", stored: "", write, delayMs: 10_000 });
    expect(await flushAll()).toBe(false);
    expect(write).toHaveBeenCalledTimes(1);
    // Its last try fails too; after that, closing no longer tries to send it.
    expect(await gone.dispose()).toBe(false);
    expect(write).toHaveBeenCalledTimes(2);
    expect(await flushAll()).toBe(true);
    expect(write).toHaveBeenCalledTimes(2);
  });
});
