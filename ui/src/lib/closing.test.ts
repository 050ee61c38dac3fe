import { listen } from "@tauri-apps/api/event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CLOSE_REQUESTED_EVENT, closeHandler, handleCloseRequested, watchCloseRequests } from "./closing";

vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

const listenMock = vi.mocked(listen);

afterEach(() => {
  vi.useRealTimers();
});

describe("closing the window", () => {
  it("saves what is typed first, then lets Rust close", async () => {
    const order: string[] = [];
    const flush = vi.fn(async () => {
      await Promise.resolve();
      order.push("flush done");
      return true;
    });
    const finish = vi.fn(async () => {
      order.push("finish");
    });
    await handleCloseRequested(flush, finish, 3000);
    expect(order).toEqual(["flush done", "finish"]);
    expect(flush).toHaveBeenCalledTimes(1);
    expect(finish).toHaveBeenCalledTimes(1);
  });

  it("still closes when a save fails", async () => {
    const finish = vi.fn(async () => undefined);
    await handleCloseRequested(async () => false, finish, 3000);
    expect(finish).toHaveBeenCalledTimes(1);
  });

  it("still closes when the flush rejects or throws", async () => {
    const finish = vi.fn(async () => undefined);
    await handleCloseRequested(() => Promise.reject(new Error("disk full")), finish, 3000);
    await handleCloseRequested(
      () => {
        throw new Error("not even a promise");
      },
      finish,
      3000,
    );
    expect(finish).toHaveBeenCalledTimes(2);
  });

  it("closes after the timeout when the flush hangs", async () => {
    vi.useFakeTimers();
    const finish = vi.fn(async () => undefined);
    const done = handleCloseRequested(() => new Promise<never>(() => {}), finish, 3000);
    await vi.advanceTimersByTimeAsync(2999);
    expect(finish).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(finish).toHaveBeenCalledTimes(1);
  });

  it("does not wait for the timeout when the flush is quick", async () => {
    vi.useFakeTimers();
    const finish = vi.fn(async () => undefined);
    await handleCloseRequested(async () => true, finish, 3000);
    expect(finish).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("does not throw when finish_close fails", async () => {
    await expect(
      handleCloseRequested(
        async () => true,
        () => Promise.reject({ code: "internal", message: "No.", field: null }),
        3000,
      ),
    ).resolves.toBeUndefined();
  });

  it("runs one round at a time when close is clicked twice", async () => {
    let release: (saved: boolean) => void = () => {};
    const flush = vi.fn(() => new Promise<boolean>((resolve) => (release = resolve)));
    const finish = vi.fn(async () => undefined);
    const handle = closeHandler(flush, finish, 3000);
    const first = handle();
    const second = handle();
    expect(second).toBe(first);
    release(true);
    await first;
    expect(flush).toHaveBeenCalledTimes(1);
    expect(finish).toHaveBeenCalledTimes(1);
    // A later request (say finish_close failed) starts again.
    const third = handle();
    release(true);
    await third;
    expect(flush).toHaveBeenCalledTimes(2);
    expect(finish).toHaveBeenCalledTimes(2);
  });

  it("listens for close-requested and stops listening when asked", async () => {
    const unlisten = vi.fn();
    let heard: (() => void) | undefined;
    listenMock.mockImplementation(async (event, handler) => {
      expect(event).toBe(CLOSE_REQUESTED_EVENT);
      heard = () => handler({ event: CLOSE_REQUESTED_EVENT, id: 1, payload: undefined as never });
      return unlisten;
    });
    const onClose = vi.fn();
    const stop = watchCloseRequests(onClose);
    await vi.waitFor(() => expect(heard).toBeDefined());
    heard!();
    expect(onClose).toHaveBeenCalledTimes(1);
    stop();
    expect(unlisten).toHaveBeenCalledTimes(1);
  });

  it("unlistens even when stopped before listening was set up", async () => {
    const unlisten = vi.fn();
    let settle: (fn: () => void) => void = () => {};
    listenMock.mockImplementation(() => new Promise((resolve) => (settle = resolve)));
    const stop = watchCloseRequests(() => {});
    stop();
    settle(unlisten);
    await vi.waitFor(() => expect(unlisten).toHaveBeenCalledTimes(1));
  });

  it("does nothing outside Tauri", async () => {
    listenMock.mockImplementation(() => {
      throw new Error("window.__TAURI_INTERNALS__ is undefined");
    });
    const stop = watchCloseRequests(() => {});
    await Promise.resolve();
    expect(() => stop()).not.toThrow();
  });
});
