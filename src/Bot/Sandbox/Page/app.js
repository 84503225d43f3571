// 沙盒页面：扮演示范县的任何人，与机器人对话、点任务卡片、看群聊、拨时钟。只用本地资源和原生 JS。
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var state = { persona: null, personas: [], group: null, chatSig: '', groupSig: '', busy: false };

  function api(method, url, body) {
    var init = { method: method, headers: {} };
    if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(url, init).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) throw new Error(data.error || ('请求失败（' + r.status + '）'));
        return data;
      });
    });
  }

  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function time(iso) {
    // The server sends Beijing time (+08:00); show it as written, whatever the browser's zone.
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso || '');
    return m ? (+m[2]) + '月' + (+m[3]) + '日 ' + m[4] + ':' + m[5] : '';
  }

  // WeCom markdown subset (§4.8): headings, bold, links, inline code, quotes, three font colours, <@userid> mentions.
  function markdown(src) {
    return esc(src).split('\n').map(function (line) {
      var h = /^(#{1,6}) (.*)$/.exec(line);
      var quote = /^&gt; ?(.*)$/.exec(line);
      var body = h ? h[2] : quote ? quote[1] : line;
      body = body
        .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
        .replace(/`([^`]+)`/g, '<code>$1</code>')
        .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>')
        .replace(/&lt;font color=&quot;(info|comment|warning)&quot;&gt;(.*?)&lt;\/font&gt;/g, '<span class="fc-$1">$2</span>')
        .replace(/&lt;@([\w.@-]+)&gt;/g, '<span class="mention">@$1</span>');
      if (h) return '<h' + Math.min(h[1].length + 1, 4) + '>' + body + '</h' + Math.min(h[1].length + 1, 4) + '>';
      if (quote) return '<blockquote>' + body + '</blockquote>';
      return body + '<br>';
    }).join('');
  }

  function textWithMentions(r) {
    var html = esc(r.text).replace(/&lt;@([\w.@-]+)&gt;/g, '<span class="mention">@$1</span>');
    if (r.mentions && r.mentions.length) html += '\n' + r.mentions.map(function (m) { return '<span class="mention">@' + esc(m) + '</span>'; }).join(' ');
    return html;
  }

  function card(r, clickable) {
    var html = '<div class="card" data-task="' + esc(r.taskId) + '"><div class="card-title">' + esc(r.title) + '</div>';
    if (r.subtitle) html += '<div class="card-sub">' + esc(r.subtitle) + '</div>';
    if (r.fields && r.fields.length) {
      html += '<dl class="card-fields">' + r.fields.map(function (f) { return '<dt>' + esc(f.label) + '</dt><dd>' + esc(f.value) + '</dd>'; }).join('') + '</dl>';
    }
    if (r.replacedBy) {
      html += '<div class="card-done">' + esc(r.replacedBy) + '</div>';
    } else {
      html += '<div class="card-buttons">' + (r.buttons || []).map(function (b) {
        return '<button type="button" class="style-' + b.style + '" data-key="' + esc(b.key) + '" data-task="' + esc(r.taskId) + '"' +
          (clickable ? '' : ' disabled') + '>' + esc(b.text) + '</button>';
      }).join('') + '</div>';
    }
    return html + '</div>';
  }

  function bubble(r, clickable) {
    if (r.type === 'card') return card(r, clickable);
    if (r.type === 'markdown') return '<div class="bubble markdown">' + markdown(r.text) + '</div>';
    if (r.type === 'card_update') return '<div class="bubble">卡片已更新：' + esc(r.text) + '</div>';
    if (r.type === 'image') return '<div class="bubble image"><img data-testid="chat-image" alt="图片" src="' + esc(r.imageUrl) + '"></div>';
    if (r.type === 'file') return '<div class="bubble">' + (r.imageUrl ? '<a href="' + esc(r.imageUrl) + '">' + esc(r.text) + '</a>' : esc(r.text)) + '</div>';
    return '<div class="bubble">' + textWithMentions(r) + '</div>';
  }

  // What WeCom refused (or silently dropped), as a real corp would: the errcode and its meaning, in red.
  function refusal(item) {
    if (!item || !item.error) return '';
    return '<div class="refused">企业微信未送达：' + esc(item.error) + '</div>';
  }

  function wecom(item) {
    if (!item || !item.endpoint) return '';
    return '<details class="wecom"><summary>企业微信接口 ' + esc(item.endpoint) + '</summary><pre>' +
      esc(JSON.stringify(item.weCom, null, 2)) + '</pre></details>';
  }

  function render(container, html, sig, key) {
    if (state[key] === sig) return;
    var atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
    var open = Array.prototype.map.call(container.querySelectorAll('details[open]'), function (d) { return d.parentNode.getAttribute('data-id'); });
    container.innerHTML = html;
    open.forEach(function (id) { var el = container.querySelector('[data-id="' + id + '"] details'); if (el) el.open = true; });
    state[key] = sig;
    if (atBottom || !state[key + 'Seen']) container.scrollTop = container.scrollHeight;
    state[key + 'Seen'] = true;
  }

  function renderChat(lines) {
    var p = state.persona;
    var html = lines.length ? lines.map(function (l) {
      var who = l.dir === 'in' ? (p ? p.name : '我') : '机器人';
      return '<div class="msg ' + l.dir + ' ' + l.rendered.type + '" data-id="' + esc(l.id) + '">' +
        '<div class="meta">' + esc(who) + ' · ' + time(l.at) + '</div>' +
        (l.dir === 'in' ? '<div class="bubble">' + esc(l.rendered.text) + '</div>' : bubble(l.rendered, p && p.channel === 'app') + refusal(l.out) + wecom(l.out)) +
        '</div>';
    }).join('') : '<div class="empty">还没有消息。' + (p && p.channel === 'kf' ? '农户可以发“申报”开始申请帮扶。' : '工作人员可以发“我的任务”或“帮助”。') + '</div>';
    render($('chat'), html, JSON.stringify(lines.map(function (l) { return [l.id, l.rendered.replacedBy]; })), 'chatSig');
  }

  function renderGroup(items) {
    var html = items.length ? items.map(function (m) {
      return '<div class="msg out" data-id="g' + m.id + '"><div class="meta">机器人 · ' + time(m.at) + '</div>' + bubble(m.rendered, false) + refusal(m) + wecom(m) + '</div>';
    }).join('') : '<div class="empty">这个群还没有消息。逾期升级和通报会出现在这里。</div>';
    render($('group-messages'), html, JSON.stringify(items.map(function (m) { return m.id; })), 'groupSig');
  }

  function status(text, error) {
    var s = $('status');
    s.textContent = text || '';
    s.className = 'status' + (error ? ' error' : '');
  }

  function refreshChat() {
    if (!state.persona) return Promise.resolve();
    var id = state.persona.id;
    return api('GET', '/sandbox/chat?with=' + encodeURIComponent(id)).then(function (lines) {
      if (state.persona && state.persona.id === id) renderChat(lines);
    });
  }

  function refreshGroup() {
    if (!state.group) return Promise.resolve();
    var to = state.group;
    return api('GET', '/sandbox/messages?to=' + encodeURIComponent(to)).then(function (items) {
      if (state.group === to) renderGroup(items);
    });
  }

  function refreshClock() {
    return api('GET', '/sandbox/clock').then(showClock);
  }

  function showClock(c) {
    $('clock-now').textContent = c.text;
    $('clock-now').setAttribute('data-iso', c.now);
    if (document.activeElement !== $('clock-input')) $('clock-input').value = c.now.slice(0, 16);
  }

  // A quick reply goes by its label: the server fills in its text (ID and phone numbers reach the page masked only).
  function send(text, quick) {
    if (!state.persona || state.busy || !text.trim()) return;
    state.busy = true;
    $('send').disabled = true;
    status('发送中…');
    api('POST', '/sandbox/send', quick ? { from: state.persona.id, quick: quick } : { from: state.persona.id, text: text }).then(function (r) {
      status(r.processed ? '' : '机器人还在处理，稍后会显示回复。');
      $('text').value = '';
    }).catch(function (e) { status(e.message, true); })
      .then(function () { state.busy = false; $('send').disabled = false; return refreshChat(); });
  }

  function click(taskId, key, button) {
    if (!state.persona) return;
    button.disabled = true;
    status('处理中…');
    api('POST', '/sandbox/click', { from: state.persona.id, taskId: taskId, key: key }).then(function (r) {
      status(r.label ? '已点击：' + r.label : '');
    }).catch(function (e) { status(e.message, true); button.disabled = false; }).then(refreshChat);
  }

  function moveClock(body) {
    $('clock-error').textContent = '';
    api('POST', '/sandbox/clock', body).then(function (c) { showClock(c); refreshChat(); refreshGroup(); })
      .catch(function (e) { $('clock-error').textContent = e.message; });
  }

  function choosePersona(id) {
    state.persona = state.personas.filter(function (p) { return p.id === id; })[0] || state.personas[0] || null;
    if (!state.persona) return;
    $('persona').value = state.persona.id;
    try { localStorage.setItem('sandbox.persona', state.persona.id); } catch (e) { /* private mode */ }
    var p = state.persona;
    $('persona-info').textContent = p.roleName + (p.region ? ' · ' + p.region : '') + ' · ' +
      (p.channel === 'kf' ? '通过微信客服（external_userid ' + p.id + '）' : '通过企业微信应用（userid ' + p.id + '）');
    $('quick').innerHTML = (p.quick || []).map(function (q, i) { return '<button type="button" data-quick="' + i + '">' + esc(q.label) + '</button>'; }).join('');
    state.chatSig = '';
    state.chatSigSeen = false;
    $('chat').innerHTML = '';
    status('');
    refreshChat();
  }

  function loadPersonas() {
    return api('GET', '/sandbox/personas').then(function (list) {
      state.personas = list;
      var groups = {};
      var order = [];
      list.forEach(function (p) { if (!groups[p.roleName]) { groups[p.roleName] = []; order.push(p.roleName); } groups[p.roleName].push(p); });
      $('persona').innerHTML = order.map(function (role) {
        return '<optgroup label="' + esc(role) + '">' + groups[role].map(function (p) {
          return '<option value="' + esc(p.id) + '">' + esc(p.name) + (p.region ? ' · ' + esc(p.region) : '') + '（' + esc(p.id) + '）</option>';
        }).join('') + '</optgroup>';
      }).join('');
      var wanted = new URLSearchParams(location.search).get('as');
      var saved = null;
      try { saved = localStorage.getItem('sandbox.persona'); } catch (e) { /* private mode */ }
      choosePersona(wanted || saved || (list[0] && list[0].id));
    });
  }

  function loadGroups() {
    return api('GET', '/sandbox/groups').then(function (list) {
      $('group').innerHTML = list.map(function (g) {
        return '<option value="' + esc(g.to) + '">' + esc(g.name) + '（' + (g.channel === 'appchat' ? '群聊 ' : '群机器人 ') + esc(g.to) + '）</option>';
      }).join('');
      state.group = list.length ? list[0].to : null;
      refreshGroup();
    });
  }

  // A village's 微信客服 poster (wecom kf-links): scanning it opens the chat as a new farmer of that village.
  function loadVillages() {
    return api('GET', '/sandbox/villages').then(function (list) {
      $('village-entry').innerHTML = list.map(function (v) {
        return '<option value="' + esc(v.code) + '">' + esc(v.township + v.name) + '</option>';
      }).join('');
    });
  }

  function enterVillage(code) {
    status('正在扫码进入…');
    return api('POST', '/sandbox/enter', { village: code }).then(function (r) {
      return loadPersonas().then(function () { choosePersona(r.from); status('已作为' + r.village + '的新农户进入微信客服'); });
    }).catch(function (e) { status(e.message, true); });
  }

  // A photo, voice message or file as evidence: WeCom holds it under a media_id, the bot downloads it with media/get.
  $('attach').addEventListener('change', function (e) {
    var file = e.target.files && e.target.files[0];
    e.target.value = '';
    if (!file || !state.persona) return;
    var type = /^image\/(jpeg|png)$/.test(file.type) ? 'image' : /^audio\//.test(file.type) || /\.amr$/i.test(file.name) ? 'voice' : 'file';
    var reader = new FileReader();
    reader.onload = function () {
      var base64 = String(reader.result).replace(/^data:[^,]*,/, '');
      status('正在发送' + file.name + '…');
      api('POST', '/sandbox/send-media', { from: state.persona.id, type: type, fileName: file.name, base64: base64 })
        .then(function () { status(''); refreshChat(); }).catch(function (err) { status(err.message, true); });
    };
    reader.readAsDataURL(file);
  });

  $('enter-village').addEventListener('click', function () { if ($('village-entry').value) enterVillage($('village-entry').value); });
  $('persona').addEventListener('change', function (e) { choosePersona(e.target.value); });
  $('group').addEventListener('change', function (e) { state.group = e.target.value; state.groupSig = ''; state.groupSigSeen = false; refreshGroup(); });
  $('composer').addEventListener('submit', function (e) { e.preventDefault(); send($('text').value); });
  $('text').addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send($('text').value); }
  });
  $('quick').addEventListener('click', function (e) {
    var i = e.target.getAttribute('data-quick');
    if (i !== null && state.persona) send(state.persona.quick[+i].text, state.persona.quick[+i].label);
  });
  $('chat').addEventListener('click', function (e) {
    var b = e.target.closest('button[data-key]');
    if (b && !b.disabled) click(b.getAttribute('data-task'), b.getAttribute('data-key'), b);
  });
  Array.prototype.forEach.call(document.querySelectorAll('[data-advance]'), function (b) {
    b.addEventListener('click', function () { moveClock({ advance: b.getAttribute('data-advance') }); });
  });
  $('clock-form').addEventListener('submit', function (e) {
    e.preventDefault();
    if ($('clock-input').value) moveClock({ now: $('clock-input').value + ':00+08:00' });
  });
  $('tabs').addEventListener('click', function (e) {
    var tab = e.target.getAttribute('data-tab');
    if (!tab) return;
    Array.prototype.forEach.call(document.querySelectorAll('.tabs button'), function (b) { b.classList.toggle('active', b === e.target); });
    $('pane-chat').classList.toggle('active', tab === 'chat');
    $('pane-groups').classList.toggle('active', tab === 'groups');
  });

  function poll() {
    Promise.all([refreshClock(), refreshChat(), refreshGroup()]).catch(function (e) { status(e.message, true); })
      .then(function () { setTimeout(poll, 1000); });
  }

  var entry = new URLSearchParams(location.search).get('enter');
  Promise.all([loadPersonas(), loadGroups(), loadVillages()])
    .then(function () { if (entry) return enterVillage(entry); })
    .catch(function (e) { status(e.message, true); }).then(poll);
})();
