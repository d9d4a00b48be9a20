import type { FastifyInstance } from 'fastify';
import type { Mailer } from '../mail/mailer.js';
import { bumpSessionVersion } from './customer-logins.repository.js';
import { type FieldProblem, logInCustomer, signUpCustomer, signUpProblems } from './customers.service.js';
import { formField, sendCsrfRefused, sendHtml } from './forms.js';
import { html } from './html.js';
import { csrfField, problemList, renderPage } from './layout.js';
import { notifyExistingOwner } from './signup-notice.service.js';
import {
  clearSession,
  hasValidCsrf,
  loadVisitor,
  type PortalDeps,
  startSession,
  type Visitor,
} from './visitor.js';

function signUpForm(
  visitor: Visitor,
  values: { email: string; name: string },
  problems: FieldProblem[],
): string {
  const body = html`<section class="card narrow">
<h1>Create your account</h1>
<p>Sign up to get an API key, top up your wallet and buy numbers from the browser.</p>
${problemList(problems.map((p) => p.message))}
<form method="post" action="/signup" novalidate>
${csrfField(visitor)}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${values.email}"
  ${problems.some((p) => p.field === 'email') ? html`aria-invalid="true"` : ''}>
<label for="name">Name <span class="hint">(optional)</span></label>
<input id="name" name="name" autocomplete="name" maxlength="100" value="${values.name}">
<label for="password">Password <span class="hint">(at least 10 characters)</span></label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="10"
  ${problems.some((p) => p.field === 'password') ? html`aria-invalid="true"` : ''}>
<button type="submit">Create account</button>
</form>
<p>Already have an account? <a href="/login">Log in</a></p>
</section>`;
  return renderPage(visitor, { title: 'Sign up', body });
}

function logInForm(visitor: Visitor, email: string, problem: string | null): string {
  const body = html`<section class="card narrow">
<h1>Log in</h1>
${problemList(problem ? [problem] : [])}
<form method="post" action="/login" novalidate>
${csrfField(visitor)}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${email}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button>
</form>
<p><a href="/forgot-password">Forgot your password?</a></p>
<p>New here? <a href="/signup">Create an account</a></p>
</section>`;
  return renderPage(visitor, { title: 'Log in', body });
}

const LOGIN_REFUSED =
  'That email and password do not match. After several failed tries, logins for an email pause for a few minutes.';

/**
 * Sign-up limits (settings OTPGET_SIGNUP_LIMIT_PER_IP per ten minutes, OTPGET_SIGNUP_LIMIT_PER_HOUR
 * in all): the refusal to show, or null when this sign-up may go ahead.
 */
async function signUpLimited(
  deps: PortalDeps,
  address: string,
): Promise<{ message: string; retryAfterSeconds: number } | null> {
  const { config, rateLimiter } = deps.ctx;
  if (config.signupLimitPerIp > 0) {
    const perAddress = await rateLimiter.hit(`signup:${address}`, config.signupLimitPerIp, 600);
    if (!perAddress.allowed) {
      const minutes = Math.ceil(perAddress.retryAfterSeconds / 60);
      return {
        message: `Too many sign-ups from your address. Try again in ${minutes} minutes.`,
        ...perAddress,
      };
    }
  }
  if (config.signupLimitPerHour > 0) {
    const everyone = await rateLimiter.hit('signup:all', config.signupLimitPerHour, 3600);
    if (!everyone.allowed) {
      const minutes = Math.ceil(everyone.retryAfterSeconds / 60);
      return { message: `Sign-ups are paused for a while. Try again in ${minutes} minutes.`, ...everyone };
    }
  }
  return null;
}

/** What every accepted sign-up sees, whether the address was new or already had an account. */
function signUpReceived(visitor: Visitor, email: string, mailsOwners: boolean): string {
  const body = html`<section class="card narrow">
<h1>Sign-up received</h1>
<p role="status">We took the sign-up for <strong>${email}</strong>.</p>
<p>If the address was new, its account is ready: <a href="/login">log in</a> with it and the password you chose,
and make your API key on the dashboard.</p>
<p>If the address already had an account, nothing was created or changed${
    mailsOwners ? html` and its owner got an email about this attempt` : ''
  }. Forgot that password? <a href="/forgot-password">Choose a new one</a>.</p>
<p><a class="button" href="/login">Log in</a></p>
</section>`;
  return renderPage(visitor, { title: 'Sign-up received', body });
}

/** Sign-up, log-in and log-out pages. */
export function registerAuthRoutes(app: FastifyInstance, deps: PortalDeps, mailer: Mailer | null): void {
  app.get('/signup', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    if (visitor.account) return reply.redirect('/dashboard', 303);
    return sendHtml(reply, signUpForm(visitor, { email: '', name: '' }, []));
  });

  app.post('/signup', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    if (!hasValidCsrf(deps, visitor, request)) return sendCsrfRefused(reply, visitor);
    const input = {
      email: formField(request, 'email'),
      password: formField(request, 'password'),
      name: formField(request, 'name'),
    };
    const problems = signUpProblems(input);
    const values = { email: input.email, name: input.name };
    if (problems.length > 0) return sendHtml(reply, signUpForm(visitor, values, problems), 400);
    // Before any scrypt work or row: a script gets refused here, not an account.
    const limited = await signUpLimited(deps, request.ip);
    if (limited) {
      reply.header('retry-after', String(limited.retryAfterSeconds));
      const problem = { field: 'email' as const, message: limited.message };
      return sendHtml(reply, signUpForm(visitor, values, [problem]), 429);
    }
    const result = await signUpCustomer(deps.ctx.db, deps.ctx.clock.now(), input);
    if (!result.ok) return sendHtml(reply, signUpForm(visitor, values, result.problems), 400);
    if (result.outcome === 'exists') {
      notifyExistingOwner(deps.ctx, mailer, result.email).catch((error: unknown) =>
        deps.ctx.log.error({ err: error }, 'sign-up notice failed'),
      );
    }
    // The same page, status and cookies for a new and a known address: no session, no key here.
    return sendHtml(reply, signUpReceived(visitor, result.email, mailer !== null));
  });

  app.get('/login', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    if (visitor.account) return reply.redirect('/dashboard', 303);
    return sendHtml(reply, logInForm(visitor, '', null));
  });

  app.post('/login', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    if (!hasValidCsrf(deps, visitor, request)) return sendCsrfRefused(reply, visitor);
    const email = formField(request, 'email');
    const limit = await deps.ctx.rateLimiter.hit(`portal-login:${request.ip}`, 5);
    if (!limit.allowed) {
      return sendHtml(
        reply,
        logInForm(visitor, email, 'Too many attempts. Wait a second and try again.'),
        429,
      );
    }
    const session = await logInCustomer(deps.ctx.db, deps.ctx.clock.now(), {
      email,
      password: formField(request, 'password'),
    });
    // One text for a wrong password and for a name in backoff: neither tells whether it exists.
    if (!session) return sendHtml(reply, logInForm(visitor, email, LOGIN_REFUSED), 400);
    startSession(deps, request, reply, session);
    return reply.redirect('/dashboard', 303);
  });

  app.post('/logout', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    if (!hasValidCsrf(deps, visitor, request)) return sendCsrfRefused(reply, visitor);
    // Ending the session version signs out every browser holding a cookie, not only this one.
    if (visitor.account) await bumpSessionVersion(deps.ctx.db, visitor.account.id, deps.ctx.clock.now());
    clearSession(deps, request, reply);
    // The browser drops the API key the docs kept in localStorage, even if no page script runs.
    reply.header('clear-site-data', '"storage"');
    return reply.redirect('/', 303);
  });
}
