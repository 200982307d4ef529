"""The portal's emails in Russian: a subject and a plain-text body per template; HTML is made from the text.

Placeholders are `{name}`; a value whose key ends in `_url` becomes a link in the HTML version.
"""

from __future__ import annotations

SIGNATURE = 'С уважением,\n{utility}'

TEMPLATES: dict[str, tuple[str, str]] = {
    'registration': (
        'Регистрация в личном кабинете',
        'Здравствуйте{greeting}!\n\n'
        'Вы зарегистрировались в личном кабинете абонента {utility}.\n\n'
        'Логин: {login}\nВременный пароль: {password}\n\n'
        'Пароль действует 72 часа. При первом входе задайте свой пароль.\n\n'
        'Войти: {login_url}\n\n'
        'Если вы не регистрировались, просто удалите это письмо.',
    ),
    'registration_exists': (
        'Попытка повторной регистрации',
        'Здравствуйте!\n\n'
        'Кто-то попытался зарегистрироваться в личном кабинете {utility} с вашим адресом электронной почты '
        'или номером телефона. Учётная запись с ними уже есть, поэтому новая не создана.\n\n'
        'Если это были вы, войдите в личный кабинет или восстановите пароль: {recover_url}\n\n'
        'Если это были не вы, ничего делать не нужно.',
    ),
    'recovery': (
        'Восстановление пароля',
        'Здравствуйте!\n\n'
        'Для вашей учётной записи запрошено восстановление пароля.\n\n'
        'Новый пароль: {password}\n\n'
        'Он действует 30 минут и только для одного входа; после входа задайте свой пароль. '
        'Пока новый пароль не использован, прежний тоже действует.\n\n'
        'Войти: {login_url}\n\n'
        'Если вы не запрашивали восстановление, просто удалите это письмо: ваш пароль не изменился.',
    ),
    'password_changed': (
        'Пароль изменён',
        'Здравствуйте!\n\n'
        'Пароль вашей учётной записи в личном кабинете {utility} изменён {when}. '
        'Все остальные сеансы завершены.\n\n'
        'Если вы этого не делали, восстановите пароль: {recover_url} и обратитесь в поддержку.',
    ),
    'email_confirm': (
        'Подтвердите новый адрес электронной почты',
        'Здравствуйте!\n\n'
        'Чтобы этот адрес стал логином в личном кабинете {utility}, перейдите по ссылке '
        '(она действует 24 часа):\n{confirm_url}\n\n'
        'Если вы не меняли адрес, просто удалите это письмо.',
    ),
    'email_taken': (
        'Адрес уже используется',
        'Здравствуйте!\n\n'
        'Этот адрес пытались указать в личном кабинете {utility}, но он уже принадлежит другой учётной записи. '
        'Войти с ним можно здесь: {login_url}\n\n'
        'Если это были не вы, ничего делать не нужно.',
    ),
    'email_changed': (
        'Адрес электронной почты изменён',
        'Здравствуйте!\n\n'
        'Логин вашей учётной записи в личном кабинете {utility} изменён на {new_email}.\n\n'
        'Если вы этого не делали, срочно обратитесь в поддержку.',
    ),
    'staff_invite': (
        'Приглашение в операторскую',
        'Здравствуйте!\n\n'
        'Вас пригласили в личный кабинет {utility} в роли {role}.\n\n'
        'Чтобы задать пароль и войти, перейдите по ссылке (она действует 72 часа и только один раз):\n'
        '{invite_url}\n\n'
        'Если вы не ждали этого письма, просто удалите его.',
    ),
}

SIGNATURE_EN = 'Kind regards,\n{utility}'

# The same letters for residents who chose English (SPEC B9); the placeholders are the same as above.
TEMPLATES_EN: dict[str, tuple[str, str]] = {
    'registration': (
        'Registration in the resident portal',
        'Hello{greeting}!\n\n'
        'You have registered in the resident portal of {utility}.\n\n'
        'Login: {login}\nTemporary password: {password}\n\n'
        'The password is valid for 72 hours. Choose your own password when you first log in.\n\n'
        'Log in: {login_url}\n\n'
        'If you did not register, simply delete this email.',
    ),
    'registration_exists': (
        'Another registration attempt',
        'Hello!\n\n'
        'Somebody tried to register in the resident portal of {utility} with your email address or phone number. '
        'An account with them already exists, so no new one was created.\n\n'
        'If it was you, log in or recover your password: {recover_url}\n\n'
        'If it was not you, there is nothing to do.',
    ),
    'recovery': (
        'Password recovery',
        'Hello!\n\n'
        'A password recovery was requested for your account.\n\n'
        'New password: {password}\n\n'
        'It is valid for 30 minutes and for one login only; after logging in, choose your own password. '
        'Until the new password is used, the old one still works.\n\n'
        'Log in: {login_url}\n\n'
        'If you did not ask for a recovery, simply delete this email: your password has not changed.',
    ),
    'password_changed': (
        'Password changed',
        'Hello!\n\n'
        'The password of your account in the resident portal of {utility} was changed on {when}. '
        'All other sessions have ended.\n\n'
        'If it was not you, recover your password: {recover_url} and contact support.',
    ),
    'email_confirm': (
        'Confirm your new email address',
        'Hello!\n\n'
        'To make this address your login in the resident portal of {utility}, open the link '
        '(it is valid for 24 hours):\n{confirm_url}\n\n'
        'If you did not change your address, simply delete this email.',
    ),
    'email_taken': (
        'The address is already in use',
        'Hello!\n\n'
        'Somebody tried to enter this address in the resident portal of {utility}, but it already belongs to '
        'another account. You can log in with it here: {login_url}\n\n'
        'If it was not you, there is nothing to do.',
    ),
    'email_changed': (
        'Email address changed',
        'Hello!\n\n'
        'The login of your account in the resident portal of {utility} was changed to {new_email}.\n\n'
        'If it was not you, contact support at once.',
    ),
    'staff_invite': (
        "Invitation to the operator's console",
        'Hello!\n\n'
        'You have been invited to the resident portal of {utility} as {role}.\n\n'
        'To choose a password and log in, open the link (it is valid for 72 hours and only once):\n'
        '{invite_url}\n\n'
        'If you did not expect this email, simply delete it.',
    ),
}
