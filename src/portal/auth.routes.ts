import type { FastifyInstance } from 'fastify';
import { bumpSessionVersion } from './customer-logins.repository.js';
import { type FieldProblem, logInCustomer, signUpCustomer } from './customers.service.js';
import { formField, sendCsrfRefused, sendHtml } from './forms.js';
import { html } from './html.js';
import { newKeyPanel } from './key-panel.js';
import { csrfField, problemList, renderPage } from './layout.js';
import {
  clearSession,
  hasValidCsrf,
  loadVisitor,
  type PortalDeps,
  startSession,
  type Visitor,
  visitorSignedInAs,
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

/** Sign-up, log-in and log-out pages. */
export function registerAuthRoutes(app: FastifyInstance, deps: PortalDeps): void {
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
    const result = await signUpCustomer(deps.ctx.db, deps.ctx.clock.now(), input);
    if (!result.ok) {
      return sendHtml(
        reply,
        signUpForm(visitor, { email: input.email, name: input.name }, result.problems),
        400,
      );
    }
    startSession(deps, request, reply, { accountId: result.accountId, sessionVersion: 1 });
    const signedIn = await visitorSignedInAs(deps, visitor, result.accountId);
    const body = html`<section class="card">
<h1>Welcome to otpget</h1>
${newKeyPanel(result.apiKey, result.accountId)}
<p><a class="button" href="/dashboard">Go to your dashboard</a> <a href="/docs">Read the API docs</a></p>
</section>`;
    return sendHtml(reply, renderPage(signedIn, { title: 'Welcome', body, scripts: ['/assets/portal.js'] }));
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
    const session = await logInCustomer(deps.ctx.db, { email, password: formField(request, 'password') });
    if (!session)
      return sendHtml(reply, logInForm(visitor, email, 'That email and password do not match.'), 400);
    startSession(deps, request, reply, session);
    return reply.redirect('/dashboard', 303);
  });

  app.post('/logout', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    if (!hasValidCsrf(deps, visitor, request)) return sendCsrfRefused(reply, visitor);
    // Ending the session version signs out every browser holding a cookie, not only this one.
    if (visitor.account) await bumpSessionVersion(deps.ctx.db, visitor.account.id, deps.ctx.clock.now());
    clearSession(deps, request, reply);
    return reply.redirect('/', 303);
  });
}
