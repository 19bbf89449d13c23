// unbounded-fanout: one request per subscriber, all at once. With 20 000
// subscribers that is 20 000 open sockets and a rate-limited mail API.
export interface Subscriber {
  email: string;
}

export async function announce(subscribers: Subscriber[], message: string): Promise<void> {
  await Promise.all(
    subscribers.map(async (s) => {
      await fetch("https://mail.example.com/send", { method: "POST", body: JSON.stringify({ to: s.email, message }) });
    }),
  );
}
