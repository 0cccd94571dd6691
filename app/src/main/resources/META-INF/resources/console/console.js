/*
 * pooltasks console. The page's state is its URL: the project and the filters under the API's own parameter names
 * (project_id, desktop_pool_id, script_id, script_name, status, task_type, execute_time_start, execute_time_end,
 * task_id, offset, limit), so a view can be shared, bookmarked, and walked with back and forward. It calls this
 * pooltasks's API relative to the page (so it works behind a gateway's path prefix) and nothing else.
 */
(() => {
  'use strict';

  const FILTERS = ['desktop_pool_id', 'script_id', 'script_name', 'status', 'task_type', 'execute_time_start',
    'execute_time_end', 'task_id'];
  const DEFAULT_LIMIT = 25;
  const REFRESH_MILLIS = 30000;
  const TOKEN_KEY = 'pooltasks.console.token';
  const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const KNOWN = ['FINISH', 'FAILED', 'RUNNING', 'INIT'];
  const STATUS_LABELS = {FINISH: 'Success', FAILED: 'Failed', RUNNING: 'Running', INIT: 'Waiting'};
  /** The list's status filter value that selects each task status. */
  const STATUS_FILTERS = {FINISH: 'SUCCESS', FAILED: 'FAILED', RUNNING: 'RUNNING', INIT: 'WAITING'};
  const STATUS_COLOURS = {FINISH: '#2b7a55', FAILED: '#b93a32', RUNNING: '#2a66a8', INIT: '#c9a43a', other: '#6d5a98'};
  const API_ROOT = new URL('../v2/', document.baseURI);

  const $ = (selector) => document.querySelector(selector);
  const numbers = new Intl.NumberFormat('en-US');
  const timeFormat = new Intl.DateTimeFormat('sv-SE', {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    second: '2-digit', hour12: false,
  });

  const charts = {};
  /** Per chart: the filters that list the tasks behind a clicked bar (null where none would be exact). */
  const chartTargets = {};
  const knownPools = new Map();
  let generation = 0;
  let refreshTimer = null;

  // ------------------------------------------------------------------------------------------------------------
  // state in the URL

  function readState() {
    const params = new URLSearchParams(location.search);
    const state = {project: (params.get('project_id') || '').trim(), filters: new URLSearchParams()};
    for (const name of FILTERS) {
      for (const value of params.getAll(name)) {
        if (value.trim() !== '') {
          state.filters.append(name, value.trim());
        }
      }
    }
    state.offset = nonNegative(params.get('offset'), 0);
    state.limit = nonNegative(params.get('limit'), DEFAULT_LIMIT);
    return state;
  }

  function nonNegative(text, fallback) {
    const value = Number.parseInt(text, 10);
    return Number.isFinite(value) && value >= 0 ? value : fallback;
  }

  function urlOf(state) {
    const params = new URLSearchParams();
    if (state.project) {
      params.set('project_id', state.project);
    }
    for (const [name, value] of state.filters) {
      params.append(name, value);
    }
    if (state.offset > 0) {
      params.set('offset', String(state.offset));
    }
    if (state.limit !== DEFAULT_LIMIT) {
      params.set('limit', String(state.limit));
    }
    const query = params.toString();
    return location.pathname + (query ? '?' + query : '');
  }

  function navigate(state) {
    const url = urlOf(state);
    if (url !== location.pathname + location.search) {
      history.pushState(null, '', url);
    }
    render();
  }

  /**
   * Lists the tasks behind a chart's bar or data row: the view's filters with changes (filter name to value)
   * set, from the first page; back returns to the view before.
   */
  function narrow(changes) {
    const state = readState();
    for (const [name, value] of Object.entries(changes)) {
      state.filters.set(name, value);
    }
    state.offset = 0;
    navigate(state);
    $('#tasks-heading').focus();
  }

  /**
   * The filters that list a day's tasks (and of one status, when given; none for a status no filter selects), within
   * the view's own time range: a day is yyyy-MM-dd in this browser's zone, the API's bounds inclusive, to the second.
   */
  function dayChanges(state, day, status) {
    if (status && !STATUS_FILTERS[status]) {
      return null;
    }
    const changes = {};
    const start = toWire(day + 'T00:00:00');
    const end = toWire(day + 'T23:59:59');
    const from = state.filters.get('execute_time_start');
    const until = state.filters.get('execute_time_end');
    changes.execute_time_start = from && new Date(from) > new Date(start) ? from : start;
    changes.execute_time_end = until && new Date(until) < new Date(end) ? until : end;
    if (status) {
      changes.status = STATUS_FILTERS[status];
    }
    return changes;
  }

  /**
   * The filters that list a script group's failed tasks: none for commands (no filter selects a command type) or
   * when the view is of another script already (one script id filters at a time).
   */
  function scriptChanges(state, group) {
    const current = state.filters.get('script_id');
    if (group.key.startsWith('command:') || (current && current !== group.key)) {
      return null;
    }
    return {script_id: group.key, status: 'FAILED'};
  }

  // ------------------------------------------------------------------------------------------------------------
  // the API

  class ApiError extends Error {
    constructor(status, body, requestId) {
      super(body && body.error_msg ? body.error_msg : 'HTTP ' + status);
      this.status = status;
      this.code = body && body.error_code;
      this.requestId = requestId;
    }
  }

  async function api(project, operation, params) {
    const url = new URL(encodeURIComponent(project) + '/desktop-pools/script-execution-tasks/' + operation, API_ROOT);
    url.search = params.toString();
    const headers = {Accept: 'application/json'};
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) {
      headers['X-Auth-Token'] = token;
    }
    let response;
    try {
      response = await fetch(url, {headers, credentials: 'omit', cache: 'no-store'});
    } catch (e) {
      throw new ApiError(0, {error_msg: 'pooltasks could not be reached (' + e.message + ')'}, null);
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      throw new ApiError(response.status, body, response.headers.get('X-Request-Id'));
    }
    return {body, missing: response.headers.get('X-Pooltasks-Missing-Upstreams'),
      stale: response.headers.get('X-Pooltasks-Stale-Upstreams')};
  }

  // ------------------------------------------------------------------------------------------------------------
  // rendering

  async function render() {
    const state = readState();
    const mine = ++generation;
    fillForm(state);
    showError(null);
    $('#project-hint').hidden = state.project !== '';
    if (!state.project) {
      setBusy(false);
      document.body.dataset.rendered = String(mine);
      $('#project').focus();
      return;
    }
    setBusy(true);
    const listParams = new URLSearchParams(state.filters);
    listParams.set('offset', String(state.offset));
    listParams.set('limit', String(Math.min(100, state.limit)));
    const statisticsParams = (groupBy) => {
      const params = new URLSearchParams(state.filters);
      params.set('group_by', groupBy);
      params.set('time_zone', ZONE);
      return params;
    };
    const answers = await Promise.allSettled([
      api(state.project, 'detail', listParams),
      api(state.project, 'statistics', statisticsParams('day')),
      api(state.project, 'statistics', statisticsParams('script')),
      api(state.project, 'statistics', statisticsParams('pool')),
    ]);
    if (mine !== generation) {
      return; // a newer view is being drawn
    }
    setBusy(false);
    const failure = answers.find((answer) => answer.status === 'rejected');
    if (failure) {
      showError(failure.reason);
    } else {
      $('#token-panel').hidden = true;
    }
    const [list, days, scripts, pools] = answers.map((answer) => answer.status === 'fulfilled' ? answer.value : null);
    renderTasks(list && list.body, state);
    renderSummary(days && days.body);
    renderDays(days && days.body, state);
    renderScripts(scripts && scripts.body, state);
    renderPools(pools && pools.body);
    const notes = answers.filter((a) => a.status === 'fulfilled').map((a) => a.value);
    const missing = [...new Set(notes.map((n) => n.missing).filter(Boolean))];
    const stale = [...new Set(notes.map((n) => n.stale).filter(Boolean))];
    if (!failure && (missing.length || stale.length)) {
      showNotice((missing.length ? 'Left out, unavailable: ' + missing.join(', ') + '. ' : '')
        + (stale.length ? 'Older copies served for: ' + stale.join(', ') + '.' : ''));
    }
    document.body.dataset.rendered = String(mine); // how many views were drawn: tests wait on it
  }

  function setBusy(busy) {
    for (const id of ['#summary', '#tasks-section']) {
      $(id).setAttribute('aria-busy', String(busy));
    }
    document.querySelectorAll('.chart-card').forEach((card) => card.setAttribute('aria-busy', String(busy)));
  }

  function showError(error) {
    const banner = $('#error');
    banner.replaceChildren();
    if (!error) {
      banner.hidden = true;
      banner.className = 'error-banner';
      return;
    }
    banner.className = 'error-banner';
    const title = el('div', 'error-title', error.status ? 'The API answered HTTP ' + error.status : 'No answer');
    const message = el('div', 'error-message');
    if (error.code) {
      message.append(el('code', 'error-code', error.code), ' ');
    }
    message.append(el('span', 'error-text', error.message));
    banner.append(title, message);
    if (error.requestId) {
      const id = el('div', 'error-request');
      id.append('Request id ', el('code', 'request-id', error.requestId));
      banner.append(id);
    }
    banner.hidden = false;
    if (error.status === 401) {
      const panel = $('#token-panel');
      panel.hidden = false;
      $('#sign-out').hidden = !sessionStorage.getItem(TOKEN_KEY);
      $('#token').focus();
    }
  }

  function showNotice(text) {
    const banner = $('#error');
    banner.replaceChildren(el('div', 'error-message', text));
    banner.className = 'error-banner notice';
    banner.hidden = false;
  }

  function renderTasks(page, state) {
    const body = $('#task-table tbody');
    body.replaceChildren();
    const tasks = page ? page.script_execution_tasks || [] : [];
    const total = page ? page.total_count : null;
    for (const task of tasks) {
      body.append(taskRow(task));
    }
    $('#no-tasks').hidden = !page || tasks.length > 0;
    const range = $('#range');
    if (total === null) {
      range.textContent = '–';
    } else if (tasks.length === 0) {
      range.textContent = '0 of ' + numbers.format(total);
    } else {
      range.textContent = numbers.format(state.offset + 1) + '–' + numbers.format(state.offset + tasks.length)
        + ' of ' + numbers.format(total);
    }
    range.dataset.total = total === null ? '' : String(total);
    $('#task-table').dataset.limit = String(state.limit);
    $('#prev-page').disabled = state.offset === 0;
    $('#next-page').disabled = total === null || state.offset + state.limit >= total;
  }

  function taskRow(task) {
    const row = document.createElement('tr');
    row.dataset.taskId = task.id;
    row.dataset.status = task.status;
    row.addEventListener('click', (event) => {
      if (!event.target.closest('button')) {
        openTask(task);
      }
    });
    row.append(cell(chip(task.status)));
    row.append(cell(formatTime(task.start_time), 'time'));
    row.append(cell(task.end_time ? formatEnd(task) : el('span', 'muted', '—'), 'time'));
    row.append(cell(duration(task), 'num'));
    const pool = cell(task.desktop_pool_name || task.desktop_pool_id, 'pool');
    pool.title = task.desktop_pool_id;
    row.append(pool);
    row.append(cell(scriptsOf(task), 'scripts'));
    row.append(cell(runs(task)));
    row.append(cell(linkButton(shortId(task.id), 'Details of task ' + task.id, () => openTask(task))));
    return row;
  }

  /** A button that looks like a link; label is its accessible name, containing the text it shows. */
  function linkButton(text, label, onClick) {
    const button = el('button', 'linklike', text);
    button.type = 'button';
    button.setAttribute('aria-label', label);
    button.addEventListener('click', onClick);
    return button;
  }

  function cell(content, className) {
    const td = document.createElement('td');
    if (className) {
      td.className = className;
    }
    td.append(content);
    return td;
  }

  function el(tag, className, text) {
    const element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    if (text !== undefined) {
      element.textContent = text;
    }
    return element;
  }

  function chip(status) {
    const known = KNOWN.includes(status);
    const span = el('span', 'chip ' + (known ? status : 'other'), known ? STATUS_LABELS[status] : status);
    span.title = 'status ' + status;
    return span;
  }

  function scriptsOf(task) {
    const scripts = task.scripts || [];
    if (scripts.length === 0 && task.command_content) {
      const command = el('span', 'script-list');
      command.append(el('span', 'muted', (task.command_type || 'command') + ' '), el('code', 'command',
        task.command_content));
      command.title = task.command_content;
      return command;
    }
    const names = scripts.map((script) => script.name).join(', ');
    const list = el('span', 'script-list', names || '—');
    list.title = names;
    return list;
  }

  function runs(task) {
    const wrapper = el('div', 'runs');
    const all = task.success_num + task.failed_num + task.skip_num;
    const bar = el('div', 'bar');
    bar.setAttribute('aria-hidden', 'true');
    for (const [className, value] of [['s', task.success_num], ['f', task.failed_num], ['k', task.skip_num]]) {
      if (value > 0) {
        const part = el('span', className);
        part.style.width = (100 * value / all) + '%';
        bar.append(part);
      }
    }
    const text = el('span', 'runs-text');
    text.append(numbers.format(task.success_num), ' / ');
    text.append(el('span', task.failed_num > 0 ? 'f' : '', numbers.format(task.failed_num)));
    text.append(' / ', numbers.format(task.skip_num));
    wrapper.setAttribute('aria-label', task.success_num + ' succeeded, ' + task.failed_num + ' failed, '
      + task.skip_num + ' skipped');
    wrapper.title = wrapper.getAttribute('aria-label');
    wrapper.append(bar, text);
    return wrapper;
  }

  function formatTime(wire) {
    const date = new Date(wire);
    return Number.isNaN(date.getTime()) ? wire : timeFormat.format(date);
  }

  /** The end time, its date left out when it is the start's. */
  function formatEnd(task) {
    const start = formatTime(task.start_time);
    const end = formatTime(task.end_time);
    return start.slice(0, 10) === end.slice(0, 10) ? end.slice(11) : end;
  }

  function duration(task) {
    if (!task.end_time) {
      return el('span', 'muted', task.status === 'RUNNING' ? 'running' : '—');
    }
    let seconds = Math.max(0, Math.round((new Date(task.end_time) - new Date(task.start_time)) / 1000));
    const hours = Math.floor(seconds / 3600);
    seconds -= hours * 3600;
    const minutes = Math.floor(seconds / 60);
    seconds -= minutes * 60;
    if (hours > 0) {
      return hours + ' h ' + String(minutes).padStart(2, '0') + ' min';
    }
    return minutes > 0 ? minutes + ' min ' + String(seconds).padStart(2, '0') + ' s' : seconds + ' s';
  }

  function shortId(id) {
    return id.length > 10 ? id.slice(0, 8) + '…' : id;
  }

  function openTask(task) {
    const details = $('#task-details');
    details.replaceChildren();
    const add = (label, value) => {
      details.append(el('dt', null, label));
      const dd = el('dd');
      dd.append(value);
      details.append(dd);
    };
    add('Task id', el('code', null, task.id));
    add('Status', chip(task.status));
    const pool = el('span', null, (task.desktop_pool_name || '—') + ' (' + task.desktop_pool_id + ') ');
    pool.append(listButton('list tasks of this pool', {desktop_pool_id: task.desktop_pool_id}));
    add('Pool', pool);
    if ((task.scripts || []).length > 0) {
      const list = el('ul');
      for (const script of task.scripts) {
        const item = el('li', null, script.name + ' ');
        item.append(el('code', 'muted', script.id), ' ',
          listButton('list tasks that ran ' + script.name, {script_id: script.id}));
        list.append(item);
      }
      add('Scripts', list);
    }
    if (task.command_content) {
      add('Command', el('code', null, task.command_content));
      add('Command type', task.command_type || '—');
    }
    add('Started', formatTime(task.start_time) + ' (' + ZONE + ')');
    add('Ended', task.end_time ? formatTime(task.end_time) : '—');
    add('Duration', duration(task));
    add('Desktop runs', runs(task));
    $('#task-dialog-title').textContent = 'Task ' + shortId(task.id);
    $('#task-dialog').showModal();
  }

  /** A button in a task's details that closes them and lists the tasks the view's filters and these select. */
  function listButton(label, changes) {
    const button = linkButton('list tasks', label, () => {
      $('#task-dialog').close();
      narrow(changes);
    });
    button.title = label;
    return button;
  }

  function renderSummary(statistics) {
    const total = statistics ? statistics.total : null;
    const put = (name, text) => {
      $('[data-total="' + name + '"]').textContent = text;
    };
    if (!total) {
      ['tasks', 'FINISH', 'FAILED', 'active', 'records'].forEach((name) => put(name, '–'));
      return;
    }
    const counts = total.status_counts;
    put('tasks', numbers.format(total.task_count));
    put('FINISH', numbers.format(counts.FINISH));
    put('FAILED', numbers.format(counts.FAILED));
    put('active', numbers.format(counts.RUNNING + counts.INIT));
    put('records', numbers.format(total.success_num) + ' / ' + numbers.format(total.failed_num) + ' / '
      + numbers.format(total.skip_num));
  }

  function chart(id) {
    if (!charts[id]) {
      charts[id] = echarts.init(document.getElementById(id), null, {renderer: 'canvas'});
      charts[id].on('click', (params) => {
        const changes = chartTargets[id] && chartTargets[id](params);
        if (changes) {
          narrow(changes);
        }
      });
    }
    return charts[id];
  }

  function emptyChart(id, text) {
    if (charts[id]) {
      charts[id].dispose();
      delete charts[id];
    }
    document.getElementById(id).replaceChildren(el('div', 'chart-empty', text));
  }

  function prepareChart(id) {
    const node = document.getElementById(id);
    if (!charts[id] && node.firstChild) {
      node.replaceChildren();
    }
    return chart(id);
  }

  const AXIS = {axisLine: {lineStyle: {color: '#c5d0d5'}}, axisLabel: {color: '#5a6a72'},
    splitLine: {lineStyle: {color: '#eef2f4'}}};
  // Drawn on the chart's canvas: an HTML tooltip styles its parts inline, which the content security policy refuses.
  const TOOLTIP = {trigger: 'axis', axisPointer: {type: 'shadow'}, renderMode: 'richText'};

  function renderDays(statistics, state) {
    const table = $('#data-days tbody');
    table.replaceChildren();
    $('#data-days').dataset.timeZone = statistics ? statistics.time_zone : '';
    if (!statistics || statistics.groups.length === 0) {
      emptyChart('chart-days', statistics ? 'No tasks' : 'Not available');
      return;
    }
    const groups = statistics.groups;
    for (const group of groups) {
      const counts = group.status_counts;
      const other = group.task_count - KNOWN.reduce((sum, status) => sum + counts[status], 0);
      const row = dataRow(group.key, [counts.FINISH, counts.FAILED, counts.RUNNING, counts.INIT, other,
        group.task_count], dayChanges(state, group.key), 'List the tasks of ' + group.key);
      row.dataset.key = group.key;
      row.dataset.tasks = String(group.task_count);
      row.dataset.statusCounts = JSON.stringify(counts);
      table.append(row);
    }
    // every day from the first to the last, so that days without tasks show as gaps
    const days = [];
    const byDay = new Map(groups.map((group) => [group.key, group]));
    for (let day = groups[0].key; day <= groups[groups.length - 1].key && days.length < 400; day = nextDay(day)) {
      days.push(day);
    }
    const statuses = [...new Set(groups.flatMap((group) => Object.keys(group.status_counts)))];
    chartTargets['chart-days'] = (params) => dayChanges(state, days[params.dataIndex], statuses[params.seriesIndex]);
    const series = statuses.map((status) => ({
      name: STATUS_LABELS[status] || status, type: 'bar', stack: 'tasks', barMaxWidth: 28,
      cursor: STATUS_FILTERS[status] ? 'pointer' : 'default',
      itemStyle: {color: STATUS_COLOURS[status] || STATUS_COLOURS.other},
      data: days.map((day) => (byDay.get(day) ? byDay.get(day).status_counts[status] || 0 : 0)),
    }));
    prepareChart('chart-days').setOption({
      animation: false,
      grid: {left: 44, right: 12, top: 34, bottom: 28},
      legend: {top: 0, left: 0, itemWidth: 12, itemHeight: 10, textStyle: {color: '#1c2a31'}},
      tooltip: TOOLTIP,
      xAxis: {type: 'category', data: days, ...AXIS,
        axisLabel: {color: '#5a6a72', formatter: (day) => day.slice(5)}},
      yAxis: {type: 'value', minInterval: 1, ...AXIS},
      series,
    }, true);
  }

  function nextDay(day) {
    const date = new Date(day + 'T00:00:00Z');
    date.setUTCDate(date.getUTCDate() + 1);
    return date.toISOString().slice(0, 10);
  }

  function renderScripts(statistics, state) {
    const table = $('#data-scripts tbody');
    table.replaceChildren();
    if (!statistics) {
      emptyChart('chart-scripts', 'Not available');
      return;
    }
    const failing = statistics.groups.filter((group) => group.status_counts.FAILED > 0)
      .sort((a, b) => b.status_counts.FAILED - a.status_counts.FAILED || b.task_count - a.task_count
        || (a.key < b.key ? -1 : 1))
      .slice(0, 10);
    for (const group of failing) {
      table.append(rateRow(group, scriptChanges(state, group), 'List the failed tasks of script ' + label(group)));
    }
    if (failing.length === 0) {
      emptyChart('chart-scripts', 'No failed tasks');
      return;
    }
    const shown = [...failing].reverse();
    chartTargets['chart-scripts'] = (params) => scriptChanges(state, shown[params.dataIndex]);
    prepareChart('chart-scripts').setOption({
      animation: false,
      grid: {left: 12, right: 36, top: 8, bottom: 8, containLabel: true},
      tooltip: TOOLTIP,
      xAxis: {type: 'value', minInterval: 1, ...AXIS},
      yAxis: {type: 'category', data: shown.map(label), ...AXIS,
        axisLabel: {color: '#1c2a31', width: 140, overflow: 'truncate'}},
      series: [{name: 'Failed tasks', type: 'bar', barMaxWidth: 16, itemStyle: {color: STATUS_COLOURS.FAILED},
        label: {show: true, position: 'right', color: '#5a6a72'},
        // a pointer only over the bars that list something
        data: shown.map((group) => ({value: group.status_counts.FAILED,
          cursor: scriptChanges(state, group) ? 'pointer' : 'default'}))}],
    }, true);
  }

  function renderPools(statistics) {
    const table = $('#data-pools tbody');
    table.replaceChildren();
    if (!statistics || statistics.groups.length === 0) {
      emptyChart('chart-pools', statistics ? 'No tasks' : 'Not available');
      return;
    }
    for (const group of statistics.groups) {
      knownPools.set(group.key, group.name || group.key);
    }
    updatePoolOptions();
    const pools = [...statistics.groups].sort((a, b) => rate(b) - rate(a) || (a.key < b.key ? -1 : 1));
    for (const group of pools) {
      table.append(rateRow(group, {desktop_pool_id: group.key}, 'List the tasks of pool ' + label(group)));
    }
    const shown = [...pools].reverse();
    chartTargets['chart-pools'] = (params) => ({desktop_pool_id: shown[params.dataIndex].key});
    prepareChart('chart-pools').setOption({
      animation: false,
      grid: {left: 12, right: 52, top: 8, bottom: 8, containLabel: true},
      tooltip: {...TOOLTIP, valueFormatter: (value) => value.toFixed(1) + '%'},
      xAxis: {type: 'value', max: (extent) => Math.max(10, Math.ceil(extent.max / 10) * 10), splitNumber: 4, ...AXIS,
        axisLabel: {color: '#5a6a72', formatter: '{value}%'}},
      yAxis: {type: 'category', data: shown.map(label), ...AXIS,
        axisLabel: {color: '#1c2a31', width: 140, overflow: 'truncate'}},
      series: [{name: 'Failure rate', type: 'bar', barMaxWidth: 16, itemStyle: {color: '#d9822b'},
        label: {show: true, position: 'right', color: '#5a6a72', formatter: (p) => p.value.toFixed(1) + '%'},
        data: shown.map((group) => Math.round(rate(group) * 1000) / 10)}],
    }, true);
  }

  function rate(group) {
    return group.task_count === 0 ? 0 : group.status_counts.FAILED / group.task_count;
  }

  function label(group) {
    return group.name || group.key;
  }

  function rateRow(group, changes, action) {
    const row = dataRow(label(group), [group.status_counts.FAILED, group.task_count], changes, action);
    row.append(el('td', null, (rate(group) * 100).toFixed(1) + ' %'));
    row.dataset.key = group.key;
    row.dataset.failed = String(group.status_counts.FAILED);
    row.dataset.tasks = String(group.task_count);
    row.cells[0].title = group.key;
    return row;
  }

  /** A data table's row; its name a button listing the row's tasks where changes filter them exactly. */
  function dataRow(name, values, changes, action) {
    const row = document.createElement('tr');
    const head = el('th');
    if (changes) {
      head.append(linkButton(name, action, () => narrow(changes)));
    } else {
      head.textContent = name;
    }
    head.scope = 'row';
    row.append(head);
    for (const value of values) {
      row.append(el('td', null, numbers.format(value)));
    }
    return row;
  }

  function updatePoolOptions() {
    const options = $('#pool-options');
    options.replaceChildren();
    for (const [id, name] of knownPools) {
      const option = document.createElement('option');
      option.value = id;
      option.label = name;
      options.append(option);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // the form

  function fillForm(state) {
    $('#project').value = state.project;
    const form = $('#filters');
    for (const name of FILTERS) {
      const field = form.elements[name];
      const values = state.filters.getAll(name);
      if (name === 'task_id') {
        field.value = values.join('\n');
      } else if (field.type === 'datetime-local') {
        field.value = values.length ? toLocalInput(values[0]) : '';
        field.dataset.wire = values.length ? values[0] : '';
      } else if (field.tagName === 'SELECT') {
        const value = values.length ? values[0].toUpperCase() : '';
        field.value = [...field.options].some((option) => option.value === value) ? value : '';
      } else {
        field.value = values.length ? values[0] : '';
      }
    }
    $('#page-size').value = [10, 25, 50, 100].includes(state.limit) ? String(state.limit) : String(DEFAULT_LIMIT);
    $('#sign-out').hidden = !sessionStorage.getItem(TOKEN_KEY);
  }

  function filtersFromForm() {
    const form = $('#filters');
    const filters = new URLSearchParams();
    for (const name of FILTERS) {
      const field = form.elements[name];
      if (name === 'task_id') {
        field.value.split(/[\s,]+/).filter(Boolean).forEach((id) => filters.append(name, id));
      } else if (field.type === 'datetime-local') {
        if (field.value) {
          // unchanged, the URL's own value stays as it was written
          const wire = field.dataset.wire && toLocalInput(field.dataset.wire) === field.value
            ? field.dataset.wire : toWire(field.value);
          filters.set(name, wire);
        }
      } else if (field.value.trim() !== '') {
        filters.set(name, field.value.trim());
      }
    }
    return filters;
  }

  /** yyyy-MM-ddTHH:mm:ss in this browser's zone, for a datetime-local input. */
  function toLocalInput(wire) {
    const date = new Date(wire);
    if (Number.isNaN(date.getTime())) {
      return '';
    }
    const pad = (n) => String(n).padStart(2, '0');
    return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate()) + 'T'
      + pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds());
  }

  /** A datetime-local value (this browser's zone) as the API writes times: yyyy-MM-ddTHH:mm:ssZ. */
  function toWire(local) {
    return new Date(local).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  // ------------------------------------------------------------------------------------------------------------
  // wiring

  function start() {
    document.querySelectorAll('[data-zone-label]').forEach((node) => {
      node.textContent = '(' + ZONE + ')';
    });
    document.querySelectorAll('[data-zone-name]').forEach((node) => {
      node.textContent = ZONE;
    });
    $('#filters').addEventListener('submit', (event) => {
      event.preventDefault();
      const state = readState();
      state.filters = filtersFromForm();
      state.offset = 0;
      navigate(state);
    });
    $('#clear-filters').addEventListener('click', () => {
      const state = readState();
      state.filters = new URLSearchParams();
      state.offset = 0;
      navigate(state);
    });
    $('#project-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const state = readState();
      state.project = $('#project').value.trim();
      state.offset = 0;
      knownPools.clear();
      navigate(state);
    });
    $('#page-size').addEventListener('change', () => {
      const state = readState();
      state.limit = Number.parseInt($('#page-size').value, 10);
      state.offset = 0;
      navigate(state);
    });
    $('#prev-page').addEventListener('click', () => {
      const state = readState();
      state.offset = Math.max(0, state.offset - state.limit);
      navigate(state);
    });
    $('#next-page').addEventListener('click', () => {
      const state = readState();
      state.offset += state.limit;
      navigate(state);
    });
    $('#token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = $('#token').value.trim();
      if (token) {
        sessionStorage.setItem(TOKEN_KEY, token);
      }
      $('#token').value = '';
      render();
    });
    $('#sign-out').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      render();
    });
    $('#close-dialog').addEventListener('click', () => $('#task-dialog').close());
    $('#task-dialog').addEventListener('click', (event) => {
      if (event.target === event.currentTarget) {
        event.currentTarget.close();
      }
    });
    $('#auto-refresh').addEventListener('change', (event) => {
      clearInterval(refreshTimer);
      refreshTimer = event.target.checked ? setInterval(() => {
        if (!document.hidden && !$('#task-dialog').open) {
          render();
        }
      }, REFRESH_MILLIS) : null;
    });
    window.addEventListener('popstate', render);
    window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
    render();
  }

  start();
})();
