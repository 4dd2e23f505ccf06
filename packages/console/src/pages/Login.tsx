import { type FormEvent, useState } from 'react';
import { login } from '../api/client';
import { startSession, readNotice } from '../api/session';
import { ActionStatus } from '../components/ActionStatus';
import { ThemeButton } from '../components/Layout';
import { useAction } from '../lib/use-action';

export function Login() {
  const [notice, setNotice] = useState(readNotice);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    const session = await action.run('Signing in…', () => login(name.trim(), password));
    if (session !== undefined) startSession(session);
    else setPassword('');
  };

  return (
    <div className="login">
      <div className="login-theme">
        <ThemeButton />
      </div>
      <form
        className="card login-card"
        onSubmit={(event) => void submit(event)}
        aria-labelledby="login-title"
      >
        <div className="brand large">
          <span className="logo" aria-hidden="true" />
          Signet
        </div>
        <h1 id="login-title">Sign in to Signet</h1>
        <p className="muted">
          Use an admin account made with <code>signet admin create NAME</code>.
        </p>
        {notice !== null && (
          <p role="status" className="status done">
            {notice}
          </p>
        )}
        <label className="field">
          <span>Name</span>
          <input
            name="username"
            autoComplete="username"
            required
            maxLength={64}
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoFocus
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={1024}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" className="button primary block" disabled={action.busy}>
          Sign in
        </button>
        <ActionStatus action={action} />
      </form>
    </div>
  );
}
