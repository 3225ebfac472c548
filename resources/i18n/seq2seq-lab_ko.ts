<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About %1</source>
        <translation>%1 정보</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>버전 %1</translation>
    </message>
    <message>
        <source>A desktop laboratory for sequence-to-sequence learning: train encoder-decoder networks while the curves grow live, translate with beam search and look at the hidden states.</source>
        <translation>시퀀스-투-시퀀스 학습을 위한 데스크톱 실험실입니다. 곡선이 실시간으로 그려지는 동안 인코더-디코더 신경망을 학습하고, 빔 탐색으로 번역하며, 은닉 상태를 들여다봅니다.</translation>
    </message>
    <message>
        <source>Released under the %1 license.</source>
        <translation>%1 라이선스로 배포됩니다.</translation>
    </message>
    <message>
        <source>After Sutskever, Vinyals and Le (2014), &lt;i&gt;Sequence to Sequence Learning with Neural Networks&lt;/i&gt;; Cho et al. (2014), &lt;i&gt;Learning Phrase Representations using RNN Encoder-Decoder&lt;/i&gt;; Bahdanau, Cho and Bengio (2015) and Luong, Pham and Manning (2015) on attention.</source>
        <translation>Sutskever, Vinyals, Le (2014)의 &lt;i&gt;Sequence to Sequence Learning with Neural Networks&lt;/i&gt;, Cho 외 (2014)의 &lt;i&gt;Learning Phrase Representations using RNN Encoder-Decoder&lt;/i&gt;, 그리고 주의(어텐션)에 관한 Bahdanau, Cho, Bengio (2015)와 Luong, Pham, Manning (2015)의 연구를 바탕으로 합니다.</translation>
    </message>
    <message>
        <source>The screenshots and benchmarks use sentence pairs from Tatoeba (tatoeba.org), CC-BY 2.0 FR. The built-in corpora read the Qt translation catalogs that PySide6 installs, by the Qt translators.</source>
        <translation>스크린샷과 벤치마크에는 Tatoeba(tatoeba.org)의 문장 쌍(CC-BY 2.0 FR)을 사용합니다. 내장 말뭉치는 PySide6가 설치하는 Qt 번역 카탈로그(Qt 번역자들의 작업)를 읽습니다.</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Source</source>
        <translation>원문</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>참조 번역</translation>
    </message>
    <message>
        <source>Hypothesis</source>
        <translation>가설</translation>
    </message>
    <message>
        <source>BLEU</source>
        <translation>BLEU</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>번역</translation>
    </message>
    <message>
        <source>Log-prob</source>
        <translation>로그 확률</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>점수</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>길이</translation>
    </message>
    <message>
        <source>Rank by normalised score</source>
        <translation>정규화 점수에 따른 순위</translation>
    </message>
    <message>
        <source>The hypothesis, detokenised</source>
        <translation>탈토큰화한 가설</translation>
    </message>
    <message>
        <source>Total log-probability: the sum over its pieces (0 = certain)</source>
        <translation>전체 로그 확률: 조각들의 합 (0 = 확실)</translation>
    </message>
    <message>
        <source>Log-prob / length^α: what the beam ranks by</source>
        <translation>로그 확률 / 길이^α: 빔이 순위를 매기는 기준</translation>
    </message>
    <message>
        <source>Pieces, end-of-sentence included</source>
        <translation>조각 수 (문장 끝 포함)</translation>
    </message>
    <message>
        <source>Overlay</source>
        <translation>겹쳐 보기</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>단계</translation>
    </message>
    <message>
        <source>Best BLEU</source>
        <translation>최고 BLEU</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>목표 문장</translation>
    </message>
    <message>
        <source>Current translation</source>
        <translation>현재 번역</translation>
    </message>
</context>
<context>
    <name>ConfigPanel</name>
    <message>
        <source>Load TOML…</source>
        <translation>TOML 불러오기…</translation>
    </message>
    <message>
        <source>Save TOML…</source>
        <translation>TOML 저장…</translation>
    </message>
    <message>
        <source>Hover over a field to see what it does and where it comes from.</source>
        <translation>항목 위에 마우스를 올리면 그 역할과 출처가 표시됩니다.</translation>
    </message>
    <message>
        <source>Load configuration</source>
        <translation>설정 불러오기</translation>
    </message>
    <message>
        <source>Save configuration</source>
        <translation>설정 저장</translation>
    </message>
</context>
<context>
    <name>DataView</name>
    <message>
        <source>No corpus read yet: choose one on the Start page.</source>
        <translation>아직 읽은 말뭉치가 없습니다. 시작 페이지에서 하나를 고르세요.</translation>
    </message>
    <message>
        <source>Search both sides…</source>
        <translation>양쪽 문장 검색…</translation>
    </message>
    <message>
        <source>Training pairs</source>
        <translation>학습 문장 쌍</translation>
    </message>
    <message>
        <source>Tokenizer preview</source>
        <translation>토크나이저 미리보기</translation>
    </message>
    <message>
        <source>Reading &lt;b&gt;{spec}&lt;/b&gt; and training a preview tokenizer…</source>
        <translation>&lt;b&gt;{spec}&lt;/b&gt;을(를) 읽고 미리보기용 토크나이저를 학습하는 중…</translation>
    </message>
    <message>
        <source>Cannot read this corpus: {message}</source>
        <translation>이 말뭉치를 읽을 수 없습니다: {message}</translation>
    </message>
    <message>
        <source>No corpus loaded.</source>
        <translation>불러온 말뭉치가 없습니다.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>{pairs:,} training pairs · {dev:,} dev pairs · {dropped:,} dropped ({reasons})&lt;br&gt;mean length {src:.1f} → {tgt:.1f} words</source>
        <translation>학습 쌍 {pairs:,}개 · 개발 쌍 {dev:,}개 · 제외 {dropped:,}개 ({reasons})&lt;br&gt;평균 길이 {src:.1f} → {tgt:.1f} 단어</translation>
    </message>
</context>
<context>
    <name>EvaluateView</name>
    <message>
        <source>The run&apos;s dev split</source>
        <translation>실행의 개발 세트</translation>
    </message>
    <message>
        <source>A test file…</source>
        <translation>테스트 파일…</translation>
    </message>
    <message>
        <source>all</source>
        <translation>전체</translation>
    </message>
    <message>
        <source>Evaluate only the first N pairs (0 = all)</source>
        <translation>처음 N개 쌍만 평가합니다 (0 = 전체)</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>평가</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>대기</translation>
    </message>
    <message>
        <source>BLEU by source length</source>
        <translation>원문 길이별 BLEU</translation>
    </message>
    <message>
        <source>source length (words)</source>
        <translation>원문 길이 (단어)</translation>
    </message>
    <message>
        <source>BLEU by word rarity</source>
        <translation>단어 희귀도별 BLEU</translation>
    </message>
    <message>
        <source>average frequency rank of the source words</source>
        <translation>원문 단어의 평균 빈도 순위</translation>
    </message>
    <message>
        <source>Filter sentences…</source>
        <translation>문장 거르기…</translation>
    </message>
    <message>
        <source>All sentences</source>
        <translation>모든 문장</translation>
    </message>
    <message>
        <source>Test set</source>
        <translation>테스트 세트</translation>
    </message>
    <message>
        <source>first</source>
        <translation>처음</translation>
    </message>
    <message>
        <source>Test pairs (any corpus format)</source>
        <translation>테스트 문장 쌍 (모든 말뭉치 형식)</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <source>{n} sentences of {test} · {speed:.1f} sentences/s · {model}</source>
        <translation>{test}의 문장 {n}개 · 초당 {speed:.1f}문장 · {model}</translation>
    </message>
    <message>
        <source>BLEU {bleu} · chrF {chrf} · reference perplexity {ppl}</source>
        <translation>BLEU {bleu} · chrF {chrf} · 참조 퍼플렉서티 {ppl}</translation>
    </message>
    <message>
        <source>All {n} sentences</source>
        <translation>전체 문장 {n}개</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>failed: {message}</source>
        <translation>실패: {message}</translation>
    </message>
    <message>
        <source>length</source>
        <translation>길이</translation>
    </message>
    <message>
        <source>rarity</source>
        <translation>희귀도</translation>
    </message>
    <message>
        <source>Sentences with {kind} {label} ({count}) — click the bar again to show all</source>
        <translation>{kind} {label}인 문장 ({count}개) — 전체를 보려면 막대를 다시 클릭하세요</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>시스템 기본값</translation>
    </message>
    <message>
        <source>Takes effect after a restart</source>
        <translation>다시 시작하면 적용됩니다</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>The new language applies the next time Seq2Seq Lab starts.</source>
        <translation>새 언어는 Seq2Seq Lab을 다음에 시작할 때 적용됩니다.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Seq2Seq Lab</source>
        <translation>Seq2Seq Lab</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>데이터</translation>
    </message>
    <message>
        <source>Configure</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>실행 기록</translation>
    </message>
    <message>
        <source>Translate</source>
        <translation>번역</translation>
    </message>
    <message>
        <source>Hidden states</source>
        <translation>은닉 상태</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>평가</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>로그</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>Open corpus files…</source>
        <translation>말뭉치 파일 열기…</translation>
    </message>
    <message>
        <source>Load configuration…</source>
        <translation>설정 불러오기…</translation>
    </message>
    <message>
        <source>Save configuration…</source>
        <translation>설정 저장…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>끝내기</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>학습(&amp;T)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>재개</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>About Seq2Seq Lab</source>
        <translation>Seq2Seq Lab 정보</translation>
    </message>
    <message>
        <source>Preset {name!r} is invalid: {error}</source>
        <translation>프리셋 {name!r}이(가) 올바르지 않습니다: {error}</translation>
    </message>
    <message>
        <source>Showing the curves of {path}</source>
        <translation>{path}의 곡선을 표시하는 중</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>학습 실패</translation>
    </message>
    <message>
        <source>The app keeps running; the last good checkpoint stays.</source>
        <translation>앱은 계속 실행되며, 마지막 정상 체크포인트는 그대로 남습니다.</translation>
    </message>
    <message>
        <source>Training in progress</source>
        <translation>학습 진행 중</translation>
    </message>
    <message>
        <source>A training run is in progress. Stop it (the last checkpoint stays) and quit?</source>
        <translation>학습이 진행 중입니다. 중지하고(마지막 체크포인트는 남습니다) 종료할까요?</translation>
    </message>
</context>
<context>
    <name>ProbeView</name>
    <message>
        <source>Probe sentences from the dev set appear here at each evaluation.</source>
        <translation>평가할 때마다 개발 세트의 탐침 문장이 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Your probe sentences, one per line (empty: the first dev sentences)</source>
        <translation>탐침 문장을 한 줄에 하나씩 입력하세요 (비우면 개발 세트의 처음 문장들)</translation>
    </message>
    <message>
        <source>Use these probes</source>
        <translation>이 탐침 문장 사용</translation>
    </message>
    <message>
        <source>Translated from the next evaluation on</source>
        <translation>다음 평가부터 번역됩니다</translation>
    </message>
    <message>
        <source>Probe sentences set: {n}. They are translated at the next evaluation.</source>
        <translation>탐침 문장 {n}개를 설정했습니다. 다음 평가 때 번역됩니다.</translation>
    </message>
    <message>
        <source>Probes reset to the first dev sentences (from the next evaluation).</source>
        <translation>탐침 문장을 개발 세트의 처음 문장들로 되돌렸습니다 (다음 평가부터).</translation>
    </message>
    <message>
        <source> (best so far)</source>
        <translation> (현재까지 최고)</translation>
    </message>
    <message>
        <source>Probe sentences at step {step:,}{best} — dev BLEU {bleu:.1f}, perplexity {ppl:.2f}</source>
        <translation>{step:,}단계의 탐침 문장{best} — 개발 BLEU {bleu:.1f}, 퍼플렉서티 {ppl:.2f}</translation>
    </message>
</context>
<context>
    <name>RunState</name>
    <message>
        <source>idle</source>
        <translation>대기</translation>
    </message>
    <message>
        <source>preparing</source>
        <translation>준비 중</translation>
    </message>
    <message>
        <source>training</source>
        <translation>학습 중</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>일시 정지됨</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>중지하는 중</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <source>Show curves</source>
        <translation>곡선 보기</translation>
    </message>
    <message>
        <source>Resume training</source>
        <translation>학습 재개</translation>
    </message>
    <message>
        <source> steps</source>
        <translation> 단계</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>이어서 학습</translation>
    </message>
    <message>
        <source>Continue the selected run from its last checkpoint for this many more steps</source>
        <translation>선택한 실행을 마지막 체크포인트부터 이만큼 더 학습합니다</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>폴더 열기</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>새로 고침</translation>
    </message>
    <message>
        <source>Runs in {folder}. Tick &apos;Overlay&apos; to compare runs in the plots.</source>
        <translation>{folder}의 실행 기록입니다. 그래프에서 비교하려면 &apos;겹쳐 보기&apos;에 체크하세요.</translation>
    </message>
    <message>
        <source>Cannot resume {run}: {error}</source>
        <translation>{run}을(를) 재개할 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>Cannot continue {run}: {error}</source>
        <translation>{run}을(를) 이어서 학습할 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>Continuing {run} up to step {step:,}.</source>
        <translation>{run}을(를) {step:,}단계까지 이어서 학습합니다.</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Open corpus files…</source>
        <translation>말뭉치 파일 열기…</translation>
    </message>
    <message>
        <source>One file of pairs, or two aligned files (Moses style)</source>
        <translation>문장 쌍 파일 하나, 또는 정렬된 파일 두 개 (Moses 형식)</translation>
    </message>
    <message>
        <source>No corpus chosen yet.</source>
        <translation>아직 말뭉치를 고르지 않았습니다.</translation>
    </message>
    <message>
        <source>1 · Corpus</source>
        <translation>1 · 말뭉치</translation>
    </message>
    <message>
        <source>Or drop files here. Recent corpora:</source>
        <translation>또는 파일을 여기에 끌어다 놓으세요. 최근 말뭉치:</translation>
    </message>
    <message>
        <source>2 · Preset (fills the Configure tab)</source>
        <translation>2 · 프리셋 (설정 탭을 채웁니다)</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>학습 시작</translation>
    </message>
    <message>
        <source>3 · Train</source>
        <translation>3 · 학습</translation>
    </message>
    <message>
        <source>Recent runs (click to show their curves):</source>
        <translation>최근 실행 (클릭하면 곡선을 표시합니다):</translation>
    </message>
    <message>
        <source>Corpus: &lt;b&gt;{spec}&lt;/b&gt;</source>
        <translation>말뭉치: &lt;b&gt;{spec}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Open corpus files</source>
        <translation>말뭉치 파일 열기</translation>
    </message>
    <message>
        <source>Parallel text ({patterns});;All files (*)</source>
        <translation>병렬 텍스트 ({patterns});;모든 파일 (*)</translation>
    </message>
</context>
<context>
    <name>StatesView</name>
    <message>
        <source>the sentences themselves</source>
        <translation>입력한 문장들</translation>
    </message>
    <message>
        <source>the run&apos;s corpus sample</source>
        <translation>실행의 말뭉치 표본</translation>
    </message>
    <message>
        <source>Presets…</source>
        <translation>프리셋…</translation>
    </message>
    <message>
        <source>One sentence per line.
A line &apos;# name&apos; starts a group (a colour).</source>
        <translation>한 줄에 문장 하나.
&apos;# 이름&apos; 줄은 새 그룹(색)을 시작합니다.</translation>
    </message>
    <message>
        <source>Add a sentence (its point appears, the others stay)</source>
        <translation>문장 추가 (새 점이 나타나고 다른 점은 그대로입니다)</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>추가</translation>
    </message>
    <message>
        <source>Load file…</source>
        <translation>파일 불러오기…</translation>
    </message>
    <message>
        <source>The sentences the 2-D plane is fitted on (once)</source>
        <translation>2차원 평면을 맞출 문장들 (한 번만)</translation>
    </message>
    <message>
        <source>Refresh with latest weights</source>
        <translation>최신 가중치로 새로 고침</translation>
    </message>
    <message>
        <source>Re-encode everything with the newest model and refit</source>
        <translation>최신 모델로 모두 다시 인코딩하고 평면을 다시 맞춥니다</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>레이블</translation>
    </message>
    <message>
        <source>Token trajectories</source>
        <translation>토큰 궤적</translation>
    </message>
    <message>
        <source>The hidden state after each source piece, same plane</source>
        <translation>원문 조각마다의 은닉 상태 (같은 평면)</translation>
    </message>
    <message>
        <source>Export plot…</source>
        <translation>그래프 내보내기…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV 내보내기…</translation>
    </message>
    <message>
        <source>Click a point to see its translation and its neighbours.</source>
        <translation>점을 클릭하면 번역과 이웃 문장이 표시됩니다.</translation>
    </message>
    <message>
        <source>Fit the plane on</source>
        <translation>평면을 맞출 기준</translation>
    </message>
    <message>
        <source>Encoding…</source>
        <translation>인코딩하는 중…</translation>
    </message>
    <message>
        <source>Load sentences</source>
        <translation>문장 불러오기</translation>
    </message>
    <message>
        <source>Encoding with the latest weights…</source>
        <translation>최신 가중치로 인코딩하는 중…</translation>
    </message>
    <message>
        <source>{n} sentences · plane fitted on {basis} · {model}</source>
        <translation>문장 {n}개 · 평면 기준: {basis} · {model}</translation>
    </message>
    <message>
        <source>translating…</source>
        <translation>번역하는 중…</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(비어 있음)</translation>
    </message>
    <message>
        <source>Nearest training sentences (cosine similarity of the states):</source>
        <translation>가장 가까운 학습 문장 (상태의 코사인 유사도):</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>재개</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>new folder under {folder}</source>
        <translation>{folder} 아래 새 폴더</translation>
    </message>
    <message>
        <source>Run directory: config, tokenizer, checkpoints, metrics.jsonl</source>
        <translation>실행 디렉터리: 설정, 토크나이저, 체크포인트, metrics.jsonl</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>폴더…</translation>
    </message>
    <message>
        <source>use </source>
        <translation>GPU </translation>
    </message>
    <message>
        <source> GPUs</source>
        <translation>개 사용</translation>
    </message>
    <message>
        <source>More than 1: data-parallel training under torchrun, one process per GPU, in a subprocess; the plots follow its metrics.jsonl (no pause).</source>
        <translation>2개 이상: torchrun으로 데이터 병렬 학습을 하위 프로세스에서 실행합니다(GPU마다 프로세스 하나). 그래프는 metrics.jsonl을 따라갑니다(일시 정지 없음).</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>대기</translation>
    </message>
    <message>
        <source>Choose a corpus and a preset, then press Start.</source>
        <translation>말뭉치와 프리셋을 고른 다음 시작을 누르세요.</translation>
    </message>
    <message>
        <source>Run folder</source>
        <translation>실행 폴더</translation>
    </message>
    <message>
        <source>The configuration has an error: see the Configure tab.</source>
        <translation>설정에 오류가 있습니다. 설정 탭을 확인하세요.</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>준비하는 중…</translation>
    </message>
    <message>
        <source>Paused — press Resume to continue.</source>
        <translation>일시 정지됨 — 계속하려면 재개를 누르세요.</translation>
    </message>
    <message>
        <source>Stopping after the current batch…</source>
        <translation>현재 배치를 마친 뒤 중지하는 중…</translation>
    </message>
    <message>
        <source>{parameters:,} parameters · {pairs:,} training pairs · vocabulary {src}/{tgt} · {device}</source>
        <translation>매개변수 {parameters:,}개 · 학습 쌍 {pairs:,}개 · 어휘 {src}/{tgt} · {device}</translation>
    </message>
    <message>
        <source>epoch {epoch:.2f} · step {step:,}{total} · loss {loss:.3f} · {speed:,.0f} tok/s · ETA {eta}</source>
        <translation>에포크 {epoch:.2f} · 단계 {step:,}{total} · 손실 {loss:.3f} · {speed:,.0f} 토큰/초 · 남은 시간 {eta}</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>종료됨</translation>
    </message>
    <message>
        <source>finished: {reason} at step {step:,}</source>
        <translation>완료: {reason} ({step:,}단계)</translation>
    </message>
    <message>
        <source>Finished ({reason}) after {epochs:.2f} epochs · dev perplexity {ppl} · dev BLEU {bleu} · {speed:,.0f} tokens/s</source>
        <translation>완료({reason}): 에포크 {epochs:.2f} · 개발 퍼플렉서티 {ppl} · 개발 BLEU {bleu} · {speed:,.0f} 토큰/초</translation>
    </message>
    <message>
        <source>Warning: {message}</source>
        <translation>경고: {message}</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Training failed: {message}</source>
        <translation>학습 실패: {message}</translation>
    </message>
</context>
</TS>
