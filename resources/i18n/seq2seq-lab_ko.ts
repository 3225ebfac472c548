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
    <name>AppController</name>
    <message>
        <source>Stop the current training before opening another run.</source>
        <translation>다른 실행을 열기 전에 현재 학습을 중지하세요.</translation>
    </message>
</context>
<context>
    <name>AttentionView</name>
    <message>
        <source>Attention</source>
        <translation>어텐션</translation>
    </message>
    <message>
        <source>(rows: output pieces · columns: source pieces)</source>
        <translation>(행: 출력 조각 · 열: 원문 조각)</translation>
    </message>
    <message>
        <source>output pieces</source>
        <translation>출력 조각</translation>
    </message>
    <message>
        <source>Type a sentence on the left: which source pieces each output piece looked at shows here.</source>
        <translation>왼쪽에 문장을 입력하세요. 출력 조각마다 어떤 원문 조각을 보았는지 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>source {src} · output {tgt} · weight {w:.3f}</source>
        <translation>원문 {src} · 출력 {tgt} · 가중치 {w:.3f}</translation>
    </message>
    <message>
        <source>This model has no attention: the decoder only sees the encoder&apos;s final state.</source>
        <translation>이 모델에는 어텐션이 없습니다. 디코더는 인코더의 마지막 상태만 봅니다.</translation>
    </message>
</context>
<context>
    <name>BeamTreeView</name>
    <message>
        <source>output position (step)</source>
        <translation>출력 위치 (단계)</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:{kept}&apos;&gt;●&lt;/span&gt; kept in the beam &amp;nbsp; &lt;span style=&apos;color:{done}&apos;&gt;●&lt;/span&gt; finished (ended with &amp;lt;/s&amp;gt;) &amp;nbsp; &lt;span style=&apos;color:{pruned}&apos;&gt;●&lt;/span&gt; pruned &amp;nbsp; &lt;span style=&apos;color:{path}&apos;&gt;━&lt;/span&gt; best translation / clicked node</source>
        <translation>&lt;span style=&apos;color:{kept}&apos;&gt;●&lt;/span&gt; 빔에 유지됨 &amp;nbsp; &lt;span style=&apos;color:{done}&apos;&gt;●&lt;/span&gt; 완료 (&amp;lt;/s&amp;gt;로 끝남) &amp;nbsp; &lt;span style=&apos;color:{pruned}&apos;&gt;●&lt;/span&gt; 잘려 나감 &amp;nbsp; &lt;span style=&apos;color:{path}&apos;&gt;━&lt;/span&gt; 최선의 번역 / 클릭한 노드</translation>
    </message>
    <message>
        <source>Beam search tree: drag ↔ to scroll, wheel to zoom, A to fit</source>
        <translation>빔 탐색 트리: ↔ 방향으로 끌어서 스크롤, 휠로 확대/축소, A로 전체 보기</translation>
    </message>
    <message>
        <source>Type a sentence on the left to see its beam search tree.</source>
        <translation>왼쪽에 문장을 입력하면 빔 탐색 트리가 표시됩니다.</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>유지됨</translation>
    </message>
    <message>
        <source>pruned</source>
        <translation>잘려 나감</translation>
    </message>
    <message>
        <source>log-prob {score:.2f} ({state})</source>
        <translation>로그 확률 {score:.2f} ({state})</translation>
    </message>
    <message>
        <source>(start)</source>
        <translation>(시작)</translation>
    </message>
    <message>
        <source>no finished translation grew from this node (pruned or died out)</source>
        <translation>이 노드에서 완성된 번역이 나오지 않았습니다 (잘려 나갔거나 도중에 사라짐)</translation>
    </message>
    <message>
        <source>best continuation: {pieces}  (score {score:.3f})</source>
        <translation>최선의 이어짐: {pieces}  (점수 {score:.3f})</translation>
    </message>
    <message>
        <source>prefix: {prefix}</source>
        <translation>접두: {prefix}</translation>
    </message>
</context>
<context>
    <name>BucketPlot</name>
    <message>
        <source>Press Evaluate to see BLEU per bucket of the test set.</source>
        <translation>평가를 누르면 테스트 세트의 구간별 BLEU가 표시됩니다.</translation>
    </message>
    <message>
        <source>n={n} (few)</source>
        <translation>n={n} (적음)</translation>
    </message>
    <message>
        <source>{label}: BLEU {bleu:.1f} over {n} sentences</source>
        <translation>{label}: 문장 {n}개에서 BLEU {bleu:.1f}</translation>
    </message>
    <message>
        <source>Only {n} sentences: this BLEU may be far from the model&apos;s real quality on such sentences.</source>
        <translation>문장이 {n}개뿐입니다. 이 BLEU는 그런 문장에 대한 모델의 실제 품질과 크게 다를 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>CaptionView</name>
    <message>
        <source>Open image…</source>
        <translation>이미지 열기…</translation>
    </message>
    <message>
        <source>Or drop an image file on this view</source>
        <translation>또는 이미지 파일을 이 화면에 끌어다 놓으세요</translation>
    </message>
    <message>
        <source>This model has no attention: the CNN&apos;s features are pooled into one vector that starts the decoder, so no word looks at a place. Train with attention on to see where each word looks.</source>
        <translation>이 모델에는 어텐션이 없습니다. CNN의 특징을 벡터 하나로 풀링해 디코더의 시작 상태로 쓰므로, 어떤 단어도 특정 위치를 보지 않습니다. 단어마다 어디를 보는지 알려면 어텐션을 켜고 학습하세요.</translation>
    </message>
    <message>
        <source>Click a node of the tree to see its prefix.</source>
        <translation>트리의 노드를 클릭하면 그 접두가 표시됩니다.</translation>
    </message>
    <message>
        <source>Pictures from the corpus</source>
        <translation>말뭉치의 이미지</translation>
    </message>
    <message>
        <source>Reading {ref}…</source>
        <translation>{ref} 읽는 중…</translation>
    </message>
    <message>
        <source>Open an image</source>
        <translation>이미지 열기</translation>
    </message>
    <message>
        <source>Images ({patterns});;All files (*)</source>
        <translation>이미지 ({patterns});;모든 파일 (*)</translation>
    </message>
    <message>
        <source>{n} pictures from {source}</source>
        <translation>{source}의 이미지 {n}개</translation>
    </message>
    <message>
        <source>Cannot caption: {message}</source>
        <translation>캡션을 만들 수 없습니다: {message}</translation>
    </message>
    <message>
        <source>Captioned in {ms:.0f} ms · {model}</source>
        <translation>{ms:.0f} ms에 캡션 생성 · {model}</translation>
    </message>
</context>
<context>
    <name>CaptionWords</name>
    <message>
        <source>Hover a word to see where the model looked</source>
        <translation>단어 위에 마우스를 올리면 모델이 본 곳이 표시됩니다</translation>
    </message>
    <message>
        <source>Previous word (←)</source>
        <translation>이전 단어 (←)</translation>
    </message>
    <message>
        <source>Next word (→)</source>
        <translation>다음 단어 (→)</translation>
    </message>
    <message>
        <source>Smooth</source>
        <translation>부드럽게</translation>
    </message>
    <message>
        <source>Blend between grid cells (off: one flat block per cell)</source>
        <translation>격자 칸 사이를 부드럽게 섞습니다 (끄면 칸마다 단색 블록 하나)</translation>
    </message>
    <message>
        <source>piece {i} of {n}: {word}</source>
        <translation>조각 {i}/{n}: {word}</translation>
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
        <source>Best dev BLEU (greedy)</source>
        <translation>최고 개발 BLEU (탐욕 탐색)</translation>
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
    <message>
        <source>Picture</source>
        <translation>이미지</translation>
    </message>
    <message>
        <source>Captions</source>
        <translation>캡션</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>캡션</translation>
    </message>
</context>
<context>
    <name>ConfigFields</name>
    <message>
        <source>Data</source>
        <translation>데이터</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>Decoding</source>
        <translation>디코딩</translation>
    </message>
    <message>
        <source>Corpus</source>
        <translation>말뭉치</translation>
    </message>
    <message>
        <source>Dev corpus</source>
        <translation>개발 말뭉치</translation>
    </message>
    <message>
        <source>Same forms as the corpus; empty = split off &apos;dev size&apos; pairs.</source>
        <translation>말뭉치와 같은 형식입니다. 비우면 &apos;개발 세트 크기&apos;만큼의 쌍을 떼어 씁니다.</translation>
    </message>
    <message>
        <source>Swap direction</source>
        <translation>방향 바꾸기</translation>
    </message>
    <message>
        <source>Translate the second column into the first.</source>
        <translation>두 번째 열을 첫 번째 열의 언어로 번역합니다.</translation>
    </message>
    <message>
        <source>Dev size</source>
        <translation>개발 세트 크기</translation>
    </message>
    <message>
        <source>Max length (words)</source>
        <translation>최대 길이 (단어)</translation>
    </message>
    <message>
        <source>Pairs with more words than this on either side are dropped.</source>
        <translation>어느 한쪽이라도 단어 수가 이보다 많은 쌍은 제외합니다.</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>토크나이저</translation>
    </message>
    <message>
        <source>joint: one sentencepiece model for both sides; separate: one per side.</source>
        <translation>joint: 양쪽에 sentencepiece 모델 하나, separate: 한쪽마다 하나씩.</translation>
    </message>
    <message>
        <source>Vocabulary size</source>
        <translation>어휘 크기</translation>
    </message>
    <message>
        <source>Sentencepiece vocabulary size (capped for small corpora).</source>
        <translation>sentencepiece 어휘 크기 (작은 말뭉치에서는 상한이 걸립니다).</translation>
    </message>
    <message>
        <source>Piece model</source>
        <translation>조각 모델</translation>
    </message>
    <message>
        <source>Sentencepiece model type (Kudo &amp; Richardson 2018).</source>
        <translation>sentencepiece 모델 종류 (Kudo &amp; Richardson 2018).</translation>
    </message>
    <message>
        <source>Task size</source>
        <translation>과제 크기</translation>
    </message>
    <message>
        <source>A file (.tsv, .txt, a Tatoeba .zip, .tmx, .po, .mo, .ts, .qm), a Moses pair &apos;a.en|a.fr&apos;, tatoeba:&lt;xxx&gt; (downloaded), or builtin:qt/&lt;lang&gt;, builtin:task/&lt;name&gt;. Images (model.encoder = cnn): builtin:images/shapes, a captions .tsv (image_path&lt;TAB&gt;caption) or a Flickr8k *.token.txt.</source>
        <translation>파일(.tsv, .txt, Tatoeba .zip, .tmx, .po, .mo, .ts, .qm), Moses 형식 파일 쌍 &apos;a.en|a.fr&apos;, tatoeba:&lt;xxx&gt; (다운로드한 것), 또는 builtin:qt/&lt;lang&gt;, builtin:task/&lt;name&gt;. 이미지 (model.encoder = cnn): builtin:images/shapes, 캡션 .tsv (image_path&lt;TAB&gt;caption) 또는 Flickr8k *.token.txt.</translation>
    </message>
    <message>
        <source>Pairs split off (deterministically) for evaluation when there is no dev file; images for an image corpus (no image is on both sides).</source>
        <translation>개발 파일이 없을 때 평가용으로 (결정적으로) 떼어 두는 쌍의 수. 이미지 말뭉치에서는 이미지 수입니다 (한 이미지가 학습과 개발 양쪽에 들어가지 않습니다).</translation>
    </message>
    <message>
        <source>Pairs generated for builtin:task/* corpora; images for builtin:images/shapes.</source>
        <translation>builtin:task/* 말뭉치에서 생성할 쌍의 수, builtin:images/shapes에서는 이미지 수.</translation>
    </message>
    <message>
        <source>Task min length</source>
        <translation>과제 최소 길이</translation>
    </message>
    <message>
        <source>Shortest generated sequence for builtin tasks.</source>
        <translation>내장 과제에서 생성하는 가장 짧은 시퀀스 길이.</translation>
    </message>
    <message>
        <source>Task max length</source>
        <translation>과제 최대 길이</translation>
    </message>
    <message>
        <source>Longest generated sequence for builtin tasks.</source>
        <translation>내장 과제에서 생성하는 가장 긴 시퀀스 길이.</translation>
    </message>
    <message>
        <source>Data seed</source>
        <translation>데이터 시드</translation>
    </message>
    <message>
        <source>Seed for the dev split and generated tasks.</source>
        <translation>개발 세트 분할과 생성 과제에 쓰는 시드.</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>이미지 크기</translation>
    </message>
    <message>
        <source>Image corpora: every image is resized to this many pixels square before the CNN.</source>
        <translation>이미지 말뭉치: 모든 이미지를 CNN에 넣기 전에 한 변이 이 픽셀 수인 정사각형으로 크기를 바꿉니다.</translation>
    </message>
    <message>
        <source>Encoder</source>
        <translation>인코더</translation>
    </message>
    <message>
        <source>rnn reads text; cnn reads images (a captioner: pooled into the decoder&apos;s first state, or its grid read by the attention, Xu et al. 2015).</source>
        <translation>rnn은 텍스트를, cnn은 이미지를 읽습니다 (캡션 생성기: 풀링해 디코더의 첫 상태로 쓰거나, 어텐션이 그 격자를 읽습니다, Xu 외 2015).</translation>
    </message>
    <message>
        <source>CNN channels</source>
        <translation>CNN 채널</translation>
    </message>
    <message>
        <source>cnn encoder: channels of the first block, doubled by each later block.</source>
        <translation>cnn 인코더: 첫 블록의 채널 수. 뒤의 블록마다 두 배가 됩니다.</translation>
    </message>
    <message>
        <source>CNN blocks</source>
        <translation>CNN 블록</translation>
    </message>
    <message>
        <source>cnn encoder: blocks of two 3x3 conv + batch norm + ReLU layers, each block halving the image; 64 px and 3 blocks give an 8x8 attention grid.</source>
        <translation>cnn 인코더: 3x3 합성곱 + 배치 정규화 + ReLU 층 두 개로 된 블록의 수. 블록마다 이미지가 절반으로 줄어듭니다. 64 px에 3블록이면 8x8 어텐션 격자가 됩니다.</translation>
    </message>
    <message>
        <source>Cell</source>
        <translation>셀</translation>
    </message>
    <message>
        <source>Recurrent cell: plain RNN, GRU ({cho}) or LSTM (Hochreiter &amp; Schmidhuber 1997; used by {sutskever}).</source>
        <translation>순환 셀: 기본 RNN, GRU ({cho}) 또는 LSTM (Hochreiter &amp; Schmidhuber 1997; {sutskever}에서 사용).</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>층 수</translation>
    </message>
    <message>
        <source>Stacked recurrent layers in encoder and decoder; {sutskever} used 4.</source>
        <translation>인코더와 디코더에 쌓는 순환층의 수. {sutskever}에서는 4층을 썼습니다.</translation>
    </message>
    <message>
        <source>Embedding size</source>
        <translation>임베딩 크기</translation>
    </message>
    <message>
        <source>Word-piece embedding size (the paper: 1000).</source>
        <translation>단어 조각 임베딩 크기 (논문: 1000).</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>은닉 크기</translation>
    </message>
    <message>
        <source>Cells per layer (per direction in the encoder; the paper: 1000).</source>
        <translation>층마다의 셀 수 (인코더에서는 방향마다; 논문: 1000).</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>드롭아웃</translation>
    </message>
    <message>
        <source>Dropout between layers and on embeddings (Zaremba et al. 2014).</source>
        <translation>층 사이와 임베딩에 적용하는 드롭아웃 (Zaremba 외 2014).</translation>
    </message>
    <message>
        <source>Bidirectional encoder</source>
        <translation>양방향 인코더</translation>
    </message>
    <message>
        <source>Read the source both ways ({bahdanau}).</source>
        <translation>원문을 양방향으로 읽습니다 ({bahdanau}).</translation>
    </message>
    <message>
        <source>Reverse source</source>
        <translation>원문 뒤집기</translation>
    </message>
    <message>
        <source>Feed the source sentence backwards: the paper&apos;s trick, sec. 3.3 of {sutskever}.</source>
        <translation>원문 문장을 거꾸로 입력합니다. 논문의 기법입니다 ({sutskever}, 3.3절).</translation>
    </message>
    <message>
        <source>Bridge layer</source>
        <translation>브리지 층</translation>
    </message>
    <message>
        <source>A learned map from the encoder&apos;s final state to the decoder&apos;s initial state.</source>
        <translation>인코더의 마지막 상태를 디코더의 초기 상태로 옮기는 학습된 사상.</translation>
    </message>
    <message>
        <source>Context at every step</source>
        <translation>매 단계 문맥 벡터</translation>
    </message>
    <message>
        <source>Concatenate the summary vector c to every decoder input and to the output layer ({cho}).</source>
        <translation>요약 벡터 c를 모든 디코더 입력과 출력층에 이어 붙입니다 ({cho}).</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>어텐션</translation>
    </message>
    <message>
        <source>none; dot or general ({luong}); concat = additive ({bahdanau}).</source>
        <translation>none: 없음, dot 또는 general ({luong}), concat = 덧셈 방식 ({bahdanau}).</translation>
    </message>
    <message>
        <source>Input feeding</source>
        <translation>입력 피딩</translation>
    </message>
    <message>
        <source>Feed the previous attentional vector to the next step, sec. 3.3 of {luong}.</source>
        <translation>이전 어텐션 벡터를 다음 단계에 입력합니다 ({luong}, 3.3절).</translation>
    </message>
    <message>
        <source>Uniform init</source>
        <translation>균등 초기화</translation>
    </message>
    <message>
        <source>&gt; 0: every weight drawn from U(-x, x); {sutskever} used 0.08.</source>
        <translation>0보다 크면 모든 가중치를 U(-x, x)에서 뽑습니다. {sutskever}에서는 0.08을 썼습니다.</translation>
    </message>
    <message>
        <source>Tie target embeddings</source>
        <translation>목표 임베딩 공유</translation>
    </message>
    <message>
        <source>Share the target embedding matrix with the output layer (Press &amp; Wolf 2017).</source>
        <translation>목표 언어 임베딩 행렬을 출력층과 공유합니다 (Press &amp; Wolf 2017).</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>옵티마이저</translation>
    </message>
    <message>
        <source>sgd ({sutskever}: lr 0.7, no momentum) or adam (Kingma &amp; Ba 2015).</source>
        <translation>sgd ({sutskever}: 학습률 0.7, 모멘텀 없음) 또는 adam (Kingma &amp; Ba 2015).</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>Initial learning rate.</source>
        <translation>초기 학습률.</translation>
    </message>
    <message>
        <source>LR schedule</source>
        <translation>학습률 스케줄</translation>
    </message>
    <message>
        <source>none: constant; paper: halve every half epoch after &apos;halve after epoch&apos; ({sutskever}); plateau: multiply when dev loss stalls; warmdown: constant, then down to zero over the run&apos;s final &apos;warm-down fraction&apos;.</source>
        <translation>none: 일정하게 둡니다. paper: &apos;반감 시작 에포크&apos; 이후 반 에포크마다 절반으로 줄입니다 ({sutskever}). plateau: 개발 손실이 정체되면 곱해 줄입니다. warmdown: 일정하게 두다가 학습의 마지막 &apos;웜다운 비율&apos; 동안 0까지 줄입니다.</translation>
    </message>
    <message>
        <source>Halve after epoch</source>
        <translation>반감 시작 에포크</translation>
    </message>
    <message>
        <source>Paper schedule: start halving after this epoch (the paper: 5).</source>
        <translation>paper 스케줄: 이 에포크 이후부터 절반으로 줄이기 시작합니다 (논문: 5).</translation>
    </message>
    <message>
        <source>Plateau factor</source>
        <translation>정체 감소 비율</translation>
    </message>
    <message>
        <source>Plateau schedule: multiply the learning rate by this when dev loss stalls.</source>
        <translation>plateau 스케줄: 개발 손실이 정체되면 학습률에 이 값을 곱합니다.</translation>
    </message>
    <message>
        <source>Warm-down fraction</source>
        <translation>웜다운 비율</translation>
    </message>
    <message>
        <source>warmdown schedule: the final fraction of the run over which the learning rate falls linearly to zero (with a time limit, the run&apos;s length is estimated from its first steps).</source>
        <translation>warmdown 스케줄: 실행의 마지막 이 비율 구간에서 학습률이 0까지 선형으로 떨어집니다 (시간 제한이 있으면 처음 몇 단계로 실행 길이를 추정합니다).</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <source>Sentences per batch (used when the token budget is 0); {sutskever}: 128.</source>
        <translation>배치당 문장 수 (토큰 예산이 0일 때 사용). {sutskever}: 128.</translation>
    </message>
    <message>
        <source>Token budget</source>
        <translation>토큰 예산</translation>
    </message>
    <message>
        <source>Source + target tokens per batch; 0 = batch by sentence count.</source>
        <translation>배치당 원문 + 목표 토큰 수. 0 = 문장 수로 배치를 만듭니다.</translation>
    </message>
    <message>
        <source>Batch scope</source>
        <translation>배치 범위</translation>
    </message>
    <message>
        <source>Multi-GPU runs: rank = batch size / token budget per GPU (the job&apos;s batch is N times larger); global = for the whole job, split between the GPUs.</source>
        <translation>다중 GPU 실행: rank = 배치 크기/토큰 예산이 GPU 하나 기준 (작업 전체 배치는 N배), global = 작업 전체 기준으로 GPU들에 나눕니다.</translation>
    </message>
    <message>
        <source>Scale LR with GPUs</source>
        <translation>GPU 수에 맞춰 학습률 조정</translation>
    </message>
    <message>
        <source>Multi-GPU runs: multiply the learning rate by the number of GPUs (the linear scaling rule, Goyal et al. 2017). Off: the learning rate is used as given.</source>
        <translation>다중 GPU 실행: 학습률에 GPU 수를 곱합니다 (선형 스케일링 규칙, Goyal 외 2017). 끄면 학습률을 주어진 그대로 씁니다.</translation>
    </message>
    <message>
        <source>Gradient clipping</source>
        <translation>그래디언트 클리핑</translation>
    </message>
    <message>
        <source>Clip the gradient norm to this ({sutskever}: 5); 0 = off.</source>
        <translation>그래디언트 노름을 이 값으로 자릅니다 ({sutskever}: 5). 0 = 끄기.</translation>
    </message>
    <message>
        <source>Teacher forcing</source>
        <translation>교사 강요</translation>
    </message>
    <message>
        <source>Probability of feeding the reference token (1 = always; below 1 mixes in the model&apos;s own predictions, Bengio et al. 2015).</source>
        <translation>정답 토큰을 입력할 확률 (1 = 항상, 1보다 작으면 모델 자신의 예측을 섞습니다, Bengio 외 2015).</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>token: mean over real target tokens; sum: summed per sentence.</source>
        <translation>token: 실제 목표 토큰에 대한 평균, sum: 문장마다 합산.</translation>
    </message>
    <message>
        <source>Label smoothing</source>
        <translation>레이블 스무딩</translation>
    </message>
    <message>
        <source>Spread this much probability mass uniformly (Szegedy et al. 2016).</source>
        <translation>이만큼의 확률 질량을 균등하게 나눠 줍니다 (Szegedy 외 2016).</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>Passes over the training data.</source>
        <translation>학습 데이터를 도는 횟수.</translation>
    </message>
    <message>
        <source>Max steps</source>
        <translation>최대 단계</translation>
    </message>
    <message>
        <source>Stop after this many updates; 0 = no limit.</source>
        <translation>이만큼 갱신한 뒤 멈춥니다. 0 = 제한 없음.</translation>
    </message>
    <message>
        <source>Max minutes</source>
        <translation>최대 시간(분)</translation>
    </message>
    <message>
        <source>Stop after this much training time; 0 = no limit.</source>
        <translation>이만큼 학습한 뒤 멈춥니다. 0 = 제한 없음.</translation>
    </message>
    <message>
        <source>Log every</source>
        <translation>기록 간격</translation>
    </message>
    <message>
        <source>Steps between points on the training curves.</source>
        <translation>학습 곡선의 점 사이 단계 수.</translation>
    </message>
    <message>
        <source>Evaluate every</source>
        <translation>평가 간격</translation>
    </message>
    <message>
        <source>Steps between dev evaluations (and at every epoch end).</source>
        <translation>개발 세트 평가 사이의 단계 수 (에포크가 끝날 때마다도 평가합니다).</translation>
    </message>
    <message>
        <source>BLEU sentences</source>
        <translation>BLEU 문장 수</translation>
    </message>
    <message>
        <source>Dev sentences decoded for BLEU at each evaluation (Papineni et al. 2002).</source>
        <translation>평가마다 BLEU를 계산하려고 디코딩하는 개발 문장 수 (Papineni 외 2002).</translation>
    </message>
    <message>
        <source>Early-stopping patience</source>
        <translation>조기 종료 인내</translation>
    </message>
    <message>
        <source>Evaluations without improvement before stopping; 0 = never stop early.</source>
        <translation>개선 없이 몇 번 평가하면 멈출지. 0 = 조기 종료하지 않음.</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>auto picks CUDA, then Apple MPS, then the CPU.</source>
        <translation>auto는 CUDA, Apple MPS, CPU 순으로 고릅니다.</translation>
    </message>
    <message>
        <source>bf16 autocast</source>
        <translation>bf16 자동 캐스트</translation>
    </message>
    <message>
        <source>Mixed precision (bf16 matrix products, fp32 weights) on CUDA GPUs and on CPUs with native bf16 (AVX512-BF16 or AMX), where it trains ~1.5x faster.</source>
        <translation>CUDA GPU와 bf16을 하드웨어로 계산하는 CPU(AVX512-BF16 또는 AMX)에서 혼합 정밀도(bf16 행렬 곱, fp32 가중치)를 씁니다. 학습이 약 1.5배 빨라집니다.</translation>
    </message>
    <message>
        <source>CPU threads</source>
        <translation>CPU 스레드</translation>
    </message>
    <message>
        <source>Torch CPU threads; 0 = chosen for this machine (the app leaves one core to its window).</source>
        <translation>Torch CPU 스레드 수. 0 = 이 컴퓨터에 맞게 정합니다(앱은 코어 하나를 창에 남겨 둡니다).</translation>
    </message>
    <message>
        <source>On NaN loss</source>
        <translation>손실이 NaN일 때</translation>
    </message>
    <message>
        <source>skip the step, or stop training (the last good checkpoint stays).</source>
        <translation>해당 단계를 건너뛰거나 학습을 멈춥니다 (마지막 정상 체크포인트는 남습니다).</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>Seed for initialisation, batching and dropout.</source>
        <translation>초기화, 배치 구성, 드롭아웃에 쓰는 시드.</translation>
    </message>
    <message>
        <source>Beam size</source>
        <translation>빔 크기</translation>
    </message>
    <message>
        <source>Beam width for translation; 1 = greedy ({sutskever}: 2 already helps).</source>
        <translation>번역할 때의 빔 너비. 1 = 탐욕 탐색 ({sutskever}: 2만 되어도 도움이 됩니다).</translation>
    </message>
    <message>
        <source>N-best</source>
        <translation>N-best</translation>
    </message>
    <message>
        <source>Hypotheses returned per sentence (at most the beam size).</source>
        <translation>문장마다 돌려줄 가설 수 (빔 크기 이하).</translation>
    </message>
    <message>
        <source>Length penalty</source>
        <translation>길이 페널티</translation>
    </message>
    <message>
        <source>score = logprob / length^alpha (Wu et al. 2016); 0 = off.</source>
        <translation>점수 = 로그 확률 / 길이^alpha (Wu 외 2016). 0 = 끄기.</translation>
    </message>
    <message>
        <source>Max length ratio</source>
        <translation>최대 길이 비율</translation>
    </message>
    <message>
        <source>Longest target = ratio x source length + offset.</source>
        <translation>가장 긴 출력 = 비율 x 원문 길이 + 오프셋.</translation>
    </message>
    <message>
        <source>Max length offset</source>
        <translation>최대 길이 오프셋</translation>
    </message>
    <message>
        <source>Added to ratio x source length.</source>
        <translation>비율 x 원문 길이에 더하는 값.</translation>
    </message>
    <message>
        <source>Max length</source>
        <translation>최대 길이</translation>
    </message>
    <message>
        <source>A fixed longest output (image captions); 0 = ratio x source length + offset.</source>
        <translation>고정된 최대 출력 길이 (이미지 캡션). 0 = 비율 x 원문 길이 + 오프셋.</translation>
    </message>
    <message>
        <source>Decode batch</source>
        <translation>디코딩 배치</translation>
    </message>
    <message>
        <source>Sentences decoded together.</source>
        <translation>함께 디코딩하는 문장 수.</translation>
    </message>
    <message>
        <source>Exact beam stop</source>
        <translation>정확한 빔 종료</translation>
    </message>
    <message>
        <source>Stop a sentence only when no open hypothesis could win at any length (provably the beam&apos;s best; slower with a length penalty). Off: stop when none beats the finished ones at its current length (the usual rule).</source>
        <translation>열린 가설이 어떤 길이에서도 이길 수 없을 때에만 문장을 끝냅니다 (빔의 최선임이 보장되며, 길이 페널티가 있으면 느려집니다). 끄면 현재 길이에서 완료된 가설을 이기는 것이 없을 때 멈춥니다 (일반적인 규칙).</translation>
    </message>
    <message>
        <source>Used only by the generated builtin:task/* and builtin:images/* corpora.</source>
        <translation>builtin:task/*와 builtin:images/*로 생성한 말뭉치에서만 사용합니다.</translation>
    </message>
    <message>
        <source>Used only by the cnn encoder (image captioning).</source>
        <translation>cnn 인코더(이미지 캡션 생성)에서만 사용합니다.</translation>
    </message>
    <message>
        <source>The pairs of &apos;Dev corpus&apos; are the dev set.</source>
        <translation>&apos;개발 말뭉치&apos;의 쌍이 개발 세트가 됩니다.</translation>
    </message>
    <message>
        <source>The token budget sets the batch size (0 = batch by sentences).</source>
        <translation>토큰 예산이 배치 크기를 정합니다 (0 = 문장 수로 배치).</translation>
    </message>
    <message>
        <source>Needs attention: &apos;Attention&apos; is none.</source>
        <translation>어텐션이 필요합니다: &apos;어텐션&apos;이 none입니다.</translation>
    </message>
    <message>
        <source>Used only by the &apos;paper&apos; LR schedule.</source>
        <translation>&apos;paper&apos; 학습률 스케줄에서만 사용합니다.</translation>
    </message>
    <message>
        <source>Used only by the &apos;plateau&apos; LR schedule.</source>
        <translation>&apos;plateau&apos; 학습률 스케줄에서만 사용합니다.</translation>
    </message>
    <message>
        <source>Used only by the &apos;warmdown&apos; LR schedule.</source>
        <translation>&apos;warmdown&apos; 학습률 스케줄에서만 사용합니다.</translation>
    </message>
    <message>
        <source>Used only by multi-GPU runs; this machine has fewer than 2 CUDA GPUs.</source>
        <translation>다중 GPU 실행에서만 사용합니다. 이 컴퓨터에는 CUDA GPU가 2개 미만입니다.</translation>
    </message>
    <message>
        <source>The chosen device has no native bf16: it needs a CUDA GPU, or a CPU with AVX512-BF16 or AMX.</source>
        <translation>선택한 장치는 bf16을 하드웨어로 계산하지 못합니다. CUDA GPU나 AVX512-BF16 또는 AMX를 갖춘 CPU가 필요합니다.</translation>
    </message>
</context>
<context>
    <name>ConfigPanel</name>
    <message>
        <source>Training: length, evaluation, device</source>
        <translation>학습: 길이, 평가, 장치</translation>
    </message>
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
        <source>The configuration has an error; fix it first.</source>
        <translation>설정에 오류가 있습니다. 먼저 고치세요.</translation>
    </message>
    <message>
        <source>Load configuration</source>
        <translation>설정 불러오기</translation>
    </message>
    <message>
        <source>Save configuration</source>
        <translation>설정 저장</translation>
    </message>
    <message>
        <source>Not used now: {reason}</source>
        <translation>지금은 사용하지 않음: {reason}</translation>
    </message>
    <message>
        <source>Fix {field}: {message}</source>
        <translation>{field} 항목을 고치세요: {message}</translation>
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
        <source>Pictures and their captions</source>
        <translation>이미지와 캡션</translation>
    </message>
    <message>
        <source>Search the captions…</source>
        <translation>캡션 검색…</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>{pairs:,} training pairs · {dev:,} dev pairs · {dropped:,} dropped ({reasons})&lt;br&gt;mean length {src:.1f} → {tgt:.1f} words</source>
        <translation>학습 쌍 {pairs:,}개 · 개발 쌍 {dev:,}개 · 제외 {dropped:,}개 ({reasons})&lt;br&gt;평균 길이 {src:.1f} → {tgt:.1f} 단어</translation>
    </message>
    <message>
        <source>{pairs:,} training captions · {dev:,} dev captions · {dropped:,} dropped ({reasons})&lt;br&gt;{pictures:,} pictures shown · mean caption length {tgt:.1f} words</source>
        <translation>학습 캡션 {pairs:,}개 · 개발 캡션 {dev:,}개 · 제외 {dropped:,}개 ({reasons})&lt;br&gt;표시한 이미지 {pictures:,}개 · 평균 캡션 길이 {tgt:.1f} 단어</translation>
    </message>
</context>
<context>
    <name>DecodeControls</name>
    <message>
        <source>Greedy</source>
        <translation>탐욕 탐색</translation>
    </message>
    <message>
        <source>Take the most likely next piece at every step</source>
        <translation>매 단계에서 가장 가능성 높은 다음 조각을 고릅니다</translation>
    </message>
    <message>
        <source>Beam</source>
        <translation>빔 탐색</translation>
    </message>
    <message>
        <source>Keep the k best partial translations at every step</source>
        <translation>매 단계에서 가장 좋은 부분 번역 k개를 유지합니다</translation>
    </message>
    <message>
        <source>Beam size k</source>
        <translation>빔 크기 k</translation>
    </message>
    <message>
        <source>How many finished hypotheses to list</source>
        <translation>나열할 완료된 가설의 수</translation>
    </message>
    <message>
        <source>Length normalisation: score = log-prob / length^α</source>
        <translation>길이 정규화: 점수 = 로그 확률 / 길이^α</translation>
    </message>
    <message>
        <source>Maximum output length, as a multiple of the source length (+10 pieces)</source>
        <translation>최대 출력 길이, 원문 길이의 배수 (+10 조각)</translation>
    </message>
    <message>
        <source>8-bit</source>
        <translation>8비트</translation>
    </message>
    <message>
        <source>Decode on the CPU with 8-bit decoder weights: about 1.5-2x as fast for one sentence, translations nearly always the same (the encoder and the saved weights stay 32-bit)</source>
        <translation>CPU에서 8비트 디코더 가중치로 디코딩합니다: 한 문장은 약 1.5~2배 빠르고 번역은 거의 언제나 같습니다 (인코더와 저장된 가중치는 32비트로 남습니다)</translation>
    </message>
    <message>
        <source>n-best</source>
        <translation>n-best</translation>
    </message>
    <message>
        <source>max length ×</source>
        <translation>최대 길이 ×</translation>
    </message>
    <message>
        <source>8-bit decoding needs PyTorch&apos;s x86 or fbgemm int8 kernels</source>
        <translation>8비트 디코딩에는 PyTorch의 x86 또는 fbgemm int8 커널이 필요합니다</translation>
    </message>
</context>
<context>
    <name>DownloadDialog</name>
    <message>
        <source>Get sentence pairs</source>
        <translation>문장 쌍 받기</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>다운로드</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>다운로드 취소</translation>
    </message>
    <message>
        <source>Pairs of English and</source>
        <translation>영어와 짝지을 언어</translation>
    </message>
    <message>
        <source>Real sentences and their translations, written by the volunteers of the Tatoeba Project: tens of thousands of pairs for most languages. They are downloaded once and kept on this computer.</source>
        <translation>Tatoeba 프로젝트의 자원봉사자들이 쓴 실제 문장과 그 번역입니다. 대부분의 언어에 수만 쌍이 있습니다. 한 번 다운로드하면 이 컴퓨터에 보관됩니다.</translation>
    </message>
    <message>
        <source>Checking the size…</source>
        <translation>크기를 확인하는 중…</translation>
    </message>
    <message>
        <source>Checking the copy on this computer…</source>
        <translation>이 컴퓨터에 있는 사본을 확인하는 중…</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>연결하는 중…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>Licence: the sentences come from the &lt;a href=&quot;https://tatoeba.org&quot;&gt;Tatoeba Project&lt;/a&gt; and were paired by &lt;a href=&quot;https://www.manythings.org/anki/&quot;&gt;manythings.org&lt;/a&gt;, under &lt;a href=&quot;https://creativecommons.org/licenses/by/2.0/fr/&quot;&gt;CC-BY 2.0 FR&lt;/a&gt;: credit Tatoeba and its contributors when you use them. The attribution is kept beside the data in {path}, and each line of the file keeps the names of its sentences&apos; authors.</source>
        <translation>라이선스: 문장은 &lt;a href=&quot;https://tatoeba.org&quot;&gt;Tatoeba 프로젝트&lt;/a&gt;에서 가져와 &lt;a href=&quot;https://www.manythings.org/anki/&quot;&gt;manythings.org&lt;/a&gt;가 쌍으로 묶은 것이며, &lt;a href=&quot;https://creativecommons.org/licenses/by/2.0/fr/&quot;&gt;CC-BY 2.0 FR&lt;/a&gt; 라이선스를 따릅니다. 사용할 때는 Tatoeba와 그 기여자들을 밝혀 주세요. 저작자 표시는 데이터 옆 {path}에 보관되며, 파일의 각 줄에는 그 문장 작성자들의 이름이 남아 있습니다.</translation>
    </message>
    <message>
        <source>Already on this computer: {pairs} pairs.</source>
        <translation>이미 이 컴퓨터에 있습니다: {pairs}쌍.</translation>
    </message>
    <message>
        <source>Use these pairs</source>
        <translation>이 문장 쌍 사용</translation>
    </message>
    <message>
        <source>size not announced</source>
        <translation>크기 정보 없음</translation>
    </message>
    <message>
        <source>{name}: {total}. {have} are already here from an earlier download; it continues from there.</source>
        <translation>{name}: {total}. 이전 다운로드에서 받은 {have}이(가) 이미 있으므로 거기서부터 이어 받습니다.</translation>
    </message>
    <message>
        <source>Resume download</source>
        <translation>다운로드 이어 받기</translation>
    </message>
    <message>
        <source>{name}: {total}, from {host}.</source>
        <translation>{name}: {total}, 출처 {host}.</translation>
    </message>
    <message>
        <source>The size is unknown: {error}</source>
        <translation>크기를 알 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} / {total}</translation>
    </message>
    <message>
        <source>{done} so far</source>
        <translation>지금까지 {done}</translation>
    </message>
    <message>
        <source>Checking what arrived…</source>
        <translation>받은 데이터를 확인하는 중…</translation>
    </message>
    <message>
        <source>Downloading (resumed at {at})…</source>
        <translation>다운로드하는 중 ({at}부터 이어 받음)…</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation>다운로드하는 중…</translation>
    </message>
    <message>
        <source>Done: {pairs} pairs, now chosen as the corpus on the Start page. Kept in {folder} with ATTRIBUTION.txt.</source>
        <translation>완료: {pairs}쌍을 시작 페이지의 말뭉치로 골랐습니다. ATTRIBUTION.txt와 함께 {folder}에 보관됩니다.</translation>
    </message>
    <message>
        <source>Download failed: {error}</source>
        <translation>다운로드 실패: {error}</translation>
    </message>
    <message>
        <source>Cancelled. The {done} downloaded so far are kept; Download continues from there.</source>
        <translation>취소했습니다. 지금까지 받은 {done}은(는) 남아 있으며, 다운로드를 누르면 거기서부터 이어 받습니다.</translation>
    </message>
</context>
<context>
    <name>Downloads</name>
    <message>
        <source>Tatoeba: English → {lang} ({pairs} pairs)</source>
        <translation>Tatoeba: 영어 → {lang} ({pairs}쌍)</translation>
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
        <source>BLEU – · chrF –</source>
        <translation>BLEU – · chrF –</translation>
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
        <source>{label} {bleu} · chrF {chrf} · reference perplexity {ppl}</source>
        <translation>{label} {bleu} · chrF {chrf} · 참조 퍼플렉서티 {ppl}</translation>
    </message>
    <message>
        <source>sacrebleu signature: {signature}</source>
        <translation>sacrebleu 시그니처: {signature}</translation>
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
    <name>ExplainPanel</name>
    <message>
        <source>What am I looking at? — {title}</source>
        <translation>무엇을 보고 있나요? — {title}</translation>
    </message>
</context>
<context>
    <name>Explanations</name>
    <message>
        <source>Training an encoder–decoder</source>
        <translation>인코더–디코더 학습</translation>
    </message>
    <message>
        <source>The &lt;b&gt;encoder&lt;/b&gt; (an LSTM or GRU) reads the source sentence one piece at a time and sums it up in its hidden state. The &lt;b&gt;decoder&lt;/b&gt; starts from that state (the &lt;b&gt;context vector&lt;/b&gt;) and writes the translation one piece at a time (Sutskever et al. 2014; Cho et al. 2014).&lt;br&gt;During training the decoder is shown the correct previous word rather than its own guess: this is &lt;b&gt;teacher forcing&lt;/b&gt;. The loss is the average surprise (negative log-probability, in nats) of each correct next piece; &lt;b&gt;perplexity&lt;/b&gt; = e&lt;sup&gt;loss&lt;/sup&gt; is roughly how many words the model hesitates between. Dev curves use sentences it never trains on: when they turn up while the training curve keeps falling, the model is overfitting.</source>
        <translation>&lt;b&gt;인코더&lt;/b&gt;(LSTM 또는 GRU)는 원문 문장을 조각 하나씩 읽어 그 내용을 은닉 상태에 요약합니다. &lt;b&gt;디코더&lt;/b&gt;는 그 상태(&lt;b&gt;문맥 벡터&lt;/b&gt;)에서 출발해 번역을 조각 하나씩 써 나갑니다 (Sutskever 외 2014; Cho 외 2014).&lt;br&gt;학습하는 동안 디코더에는 자신의 추측 대신 올바른 이전 단어를 보여 줍니다. 이것이 &lt;b&gt;교사 강요&lt;/b&gt;(teacher forcing)입니다. 손실은 올바른 다음 조각 각각에 대한 평균 놀람(음의 로그 확률, 단위 nat)이며, &lt;b&gt;퍼플렉서티&lt;/b&gt; = e&lt;sup&gt;손실&lt;/sup&gt;은 모델이 대략 몇 개의 단어 사이에서 망설이는지를 나타냅니다. 개발 곡선은 학습에 한 번도 쓰지 않은 문장으로 계산합니다. 학습 곡선은 계속 내려가는데 개발 곡선이 다시 올라가면 모델이 과적합하고 있는 것입니다.</translation>
    </message>
    <message>
        <source>Probe sentences</source>
        <translation>탐침 문장</translation>
    </message>
    <message>
        <source>A few fixed sentences translated greedily at every evaluation, so you can watch the model learn: first it repeats frequent words, then gets the length right, then the words. Edit them to ask the model your own questions. The BLEU column compares each translation to the reference when the sentence is in the dev set.</source>
        <translation>평가할 때마다 탐욕 디코딩으로 번역하는 몇 개의 고정 문장으로, 모델이 배우는 과정을 지켜볼 수 있습니다. 처음에는 자주 나오는 단어를 되풀이하고, 다음에는 길이를 맞추고, 그다음에 단어를 맞춥니다. 문장을 고쳐서 모델에게 직접 질문해 보세요. BLEU 열은 문장이 개발 세트에 있을 때 각 번역을 참조 번역과 비교합니다.</translation>
    </message>
    <message>
        <source>The switches</source>
        <translation>스위치들</translation>
    </message>
    <message>
        <source>&lt;b&gt;Reversed source&lt;/b&gt;: Sutskever et al. (2014) fed the source backwards, so the first source words end up close to the first target words; it made optimisation much easier (BLEU 25.9 → 30.6). &lt;b&gt;Context at every step&lt;/b&gt;: Cho et al. (2014) give the decoder the encoder summary at each step, not only at the start. &lt;b&gt;Attention&lt;/b&gt; lets the decoder look back at every source position instead of one fixed vector (Bahdanau et al. 2015; Luong et al. 2015).</source>
        <translation>&lt;b&gt;원문 뒤집기&lt;/b&gt;: Sutskever 외 (2014)는 원문을 거꾸로 입력해 원문의 첫 단어들이 목표 문장의 첫 단어들과 가까워지게 했고, 덕분에 최적화가 훨씬 쉬워졌습니다 (BLEU 25.9 → 30.6). &lt;b&gt;매 단계 문맥 벡터&lt;/b&gt;: Cho 외 (2014)는 인코더의 요약을 처음에만이 아니라 매 단계 디코더에 줍니다. &lt;b&gt;어텐션&lt;/b&gt;은 디코더가 고정된 벡터 하나 대신 원문의 모든 위치를 돌아볼 수 있게 합니다 (Bahdanau 외 2015; Luong 외 2015).</translation>
    </message>
    <message>
        <source>Greedy and beam search</source>
        <translation>탐욕 탐색과 빔 탐색</translation>
    </message>
    <message>
        <source>The decoder gives a probability to every possible next piece. &lt;b&gt;Greedy&lt;/b&gt; decoding takes the most likely one each time; it can paint itself into a corner. &lt;b&gt;Beam search&lt;/b&gt; keeps the &lt;i&gt;k&lt;/i&gt; best partial translations (the beam) at each step and returns the best finished ones — the n-best list (Sutskever et al. 2014 found a beam of 2 already gets most of the benefit). The &lt;b&gt;log-prob&lt;/b&gt; is the sum of the log-probabilities of the pieces; it always favours short outputs, so hypotheses are ranked by the &lt;b&gt;normalised score&lt;/b&gt; log-prob / length&lt;sup&gt;α&lt;/sup&gt;.</source>
        <translation>디코더는 가능한 모든 다음 조각에 확률을 매깁니다. &lt;b&gt;탐욕 탐색&lt;/b&gt;은 매번 가장 가능성 높은 조각을 고르므로 스스로 막다른 길에 들어설 수 있습니다. &lt;b&gt;빔 탐색&lt;/b&gt;은 매 단계 가장 좋은 부분 번역 &lt;i&gt;k&lt;/i&gt;개(빔)를 유지하고, 완료된 것 중 가장 좋은 것들, 곧 n-best 목록을 돌려줍니다 (Sutskever 외 2014에 따르면 빔 크기 2만으로도 이득의 대부분을 얻습니다). &lt;b&gt;로그 확률&lt;/b&gt;은 조각들의 로그 확률의 합이라서 언제나 짧은 출력을 선호합니다. 그래서 가설은 &lt;b&gt;정규화 점수&lt;/b&gt; 로그 확률 / 길이&lt;sup&gt;α&lt;/sup&gt;로 순위를 매깁니다.</translation>
    </message>
    <message>
        <source>The beam search tree</source>
        <translation>빔 탐색 트리</translation>
    </message>
    <message>
        <source>Left to right: one column per output position. Blue nodes were &lt;b&gt;kept&lt;/b&gt; in the beam, grey ones are the best candidates that were &lt;b&gt;pruned&lt;/b&gt;; green nodes end with the end-of-sentence piece. The number is the accumulated log-prob. Click a node to see its prefix and the best finished translation that grew out of it.</source>
        <translation>왼쪽에서 오른쪽으로, 출력 위치마다 한 열입니다. 파란 노드는 빔에 &lt;b&gt;유지된&lt;/b&gt; 것이고, 회색 노드는 &lt;b&gt;잘려 나간&lt;/b&gt; 후보 중 가장 좋은 것들입니다. 초록 노드는 문장 끝 조각으로 끝납니다. 숫자는 누적 로그 확률입니다. 노드를 클릭하면 그 접두와, 거기서 자라난 가장 좋은 완성 번역이 표시됩니다.</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>어텐션</translation>
    </message>
    <message>
        <source>Each row is one output piece; each column a source piece. The colour says how much the decoder looked at that source position when writing that piece: the weights of a row sum to 1 (Bahdanau et al. 2015; Luong et al. 2015). For languages with a similar word order you see a rough diagonal. The bars below show how sure the model was of each piece (log-prob, 0 = certain); type a reference to see where the model is &lt;i&gt;surprised&lt;/i&gt; by it (forced decoding).</source>
        <translation>각 행은 출력 조각 하나, 각 열은 원문 조각 하나입니다. 색은 디코더가 그 조각을 쓸 때 해당 원문 위치를 얼마나 보았는지를 나타내며, 한 행의 가중치를 더하면 1입니다 (Bahdanau 외 2015; Luong 외 2015). 어순이 비슷한 언어라면 대략적인 대각선이 보입니다. 아래 막대는 모델이 각 조각을 얼마나 확신했는지 보여 줍니다 (로그 확률, 0 = 확실). 참조 번역을 입력하면 모델이 어디에서 그것에 &lt;i&gt;놀라는지&lt;/i&gt; 볼 수 있습니다 (강제 디코딩).</translation>
    </message>
    <message>
        <source>Hidden states in two dimensions</source>
        <translation>2차원으로 본 은닉 상태</translation>
    </message>
    <message>
        <source>Each point is the encoder&apos;s final hidden state for one sentence — the vector the decoder starts from — squeezed from hundreds of dimensions to two with &lt;b&gt;PCA&lt;/b&gt; (the two directions along which the states vary most; the axis labels say what share of the variance each keeps). Sutskever et al. (2014, Figure 2) showed that sentences with the same meaning land close together, while swapping who does what (&lt;i&gt;John admires Mary&lt;/i&gt; / &lt;i&gt;Mary admires John&lt;/i&gt;) moves the point: the encoder is sensitive to word order, and fairly insensitive to active vs passive voice. The plane is fitted once and then kept, so adding a sentence never moves the others.</source>
        <translation>각 점은 한 문장에 대한 인코더의 마지막 은닉 상태, 곧 디코더가 출발하는 벡터를 &lt;b&gt;PCA&lt;/b&gt;로 수백 차원에서 2차원으로 압축한 것입니다 (상태가 가장 크게 변하는 두 방향이며, 축 레이블은 각 축이 분산의 몇 %를 담는지 알려 줍니다). Sutskever 외 (2014, 그림 2)는 뜻이 같은 문장들은 서로 가까이 모이지만, 누가 무엇을 하는지를 바꾸면 (&lt;i&gt;John admires Mary&lt;/i&gt; / &lt;i&gt;Mary admires John&lt;/i&gt;) 점이 움직인다는 것을 보였습니다. 인코더는 어순에는 민감하고 능동태와 수동태의 차이에는 꽤 둔감합니다. 평면은 한 번 맞춘 뒤 그대로 유지되므로, 문장을 추가해도 다른 점들은 움직이지 않습니다.</translation>
    </message>
    <message>
        <source>BLEU and chrF</source>
        <translation>BLEU와 chrF</translation>
    </message>
    <message>
        <source>&lt;b&gt;BLEU&lt;/b&gt; (Papineni et al. 2002) counts how many 1- to 4-word sequences of the translation also appear in the reference, with a penalty for being too short; 0–100, higher is better. &lt;b&gt;chrF&lt;/b&gt; (Popović 2015) compares character n-grams instead, which is kinder to morphology. The &lt;b&gt;signature&lt;/b&gt; says exactly how the score was computed, so scores can be compared. The two charts repeat Figure 3 of Sutskever et al. (2014): BLEU by sentence length and by how rare the sentence&apos;s words are. Click a bar to list its sentences.</source>
        <translation>&lt;b&gt;BLEU&lt;/b&gt; (Papineni 외 2002)는 번역에 나오는 1~4단어 연쇄 중 몇 개가 참조 번역에도 나오는지 세고, 너무 짧으면 페널티를 줍니다. 0–100이며 높을수록 좋습니다. &lt;b&gt;chrF&lt;/b&gt; (Popović 2015)는 대신 문자 n-그램을 비교하므로 형태론에 더 너그럽습니다. &lt;b&gt;시그니처&lt;/b&gt;는 점수를 정확히 어떻게 계산했는지 알려 주어 점수끼리 비교할 수 있게 합니다. 두 차트는 Sutskever 외 (2014)의 그림 3을 재현합니다. 문장 길이별 BLEU와, 문장 속 단어가 얼마나 드문지에 따른 BLEU입니다. 막대를 클릭하면 해당 문장들이 나열됩니다.</translation>
    </message>
    <message>
        <source>Rescoring an n-best list</source>
        <translation>n-best 목록 재채점</translation>
    </message>
    <message>
        <source>A classical (phrase-based) system proposes several translations per sentence; the neural model scores each one, and the two scores are mixed with the weights below. Sutskever et al. (2014) rescored the 1000-best lists of a baseline system this way. &lt;b&gt;Oracle&lt;/b&gt; BLEU is what a perfect reranker would get from the same lists: the ceiling.</source>
        <translation>고전적인 (구 기반) 시스템이 문장마다 여러 번역을 제안하면 신경망 모델이 각각에 점수를 매기고, 두 점수를 아래의 가중치로 섞습니다. Sutskever 외 (2014)는 이렇게 기준 시스템의 1000-best 목록을 재채점했습니다. &lt;b&gt;오라클&lt;/b&gt; BLEU는 완벽한 재순위기가 같은 목록에서 얻을 수 있는 점수, 곧 상한입니다.</translation>
    </message>
</context>
<context>
    <name>Glossary</name>
    <message>
        <source>Without it the decoder starts from the encoder&apos;s final state as it is (their sizes must then match); with it, a small learned layer translates that state first, so the two can differ in size or direction count.</source>
        <translation>이 층이 없으면 디코더는 인코더의 마지막 상태에서 그대로 출발합니다 (그래서 둘의 크기가 같아야 합니다). 이 층이 있으면 학습된 작은 층이 그 상태를 먼저 변환하므로, 둘의 크기나 방향 수가 달라도 됩니다.</translation>
    </message>
    <message>
        <source>Only matters when training on several GPUs at once: whether the batch size is counted per GPU or for all of them together.</source>
        <translation>여러 GPU로 동시에 학습할 때만 의미가 있습니다. 배치 크기를 GPU 하나 기준으로 셀지, 모든 GPU를 합쳐서 셀지 정합니다.</translation>
    </message>
    <message>
        <source>Batches are filled up to this many word pieces instead of a fixed number of sentences, so a batch of short sentences holds more of them and every batch costs about the same memory and time.</source>
        <translation>배치를 정해진 문장 수 대신 이만큼의 단어 조각으로 채웁니다. 그래서 짧은 문장으로 된 배치에는 문장이 더 많이 들어가고, 배치마다 드는 메모리와 시간이 거의 같아집니다.</translation>
    </message>
    <message>
        <source>How sentences are cut into pieces (sub-words): unigram and bpe learn frequent word parts from the corpus; char uses single characters; word whole words.</source>
        <translation>문장을 조각(하위 단어)으로 자르는 방식입니다. unigram과 bpe는 말뭉치에서 자주 나오는 단어 부분을 학습하고, char는 글자 하나하나를, word는 단어 전체를 씁니다.</translation>
    </message>
    <message>
        <source>The text format of the Moses toolkit for several translations per sentence, one per line: &apos;sentence number ||| translation ||| feature scores ||| total score&apos;.</source>
        <translation>문장마다 여러 번역을 한 줄에 하나씩 적는 Moses 툴킷의 텍스트 형식: &apos;문장 번호 ||| 번역 ||| 특징 점수 ||| 총점&apos;.</translation>
    </message>
</context>
<context>
    <name>ImageAttentionView</name>
    <message>
        <source>Open or drop an image, or pick one on the left.</source>
        <translation>이미지를 열거나 끌어다 놓거나, 왼쪽에서 하나를 고르세요.</translation>
    </message>
</context>
<context>
    <name>ImageJobs</name>
    <message>
        <source>the run&apos;s dev images</source>
        <translation>실행의 개발 이미지</translation>
    </message>
    <message>
        <source>built-in shapes</source>
        <translation>내장 도형</translation>
    </message>
    <message>
        <source>Shapes (synthetic images)</source>
        <translation>도형 (합성 이미지)</translation>
    </message>
</context>
<context>
    <name>LabController</name>
    <message>
        <source>live: {name} (step {step:,})</source>
        <translation>실시간: {name} ({step:,}단계)</translation>
    </message>
    <message>
        <source>no model chosen</source>
        <translation>선택한 모델 없음</translation>
    </message>
    <message>
        <source>{model}, 8-bit on the CPU</source>
        <translation>{model}, CPU에서 8비트</translation>
    </message>
</context>
<context>
    <name>LabJobs</name>
    <message>
        <source>Choose a run (or train one) to translate with.</source>
        <translation>번역에 쓸 실행을 고르세요 (또는 새로 학습하세요).</translation>
    </message>
    <message>
        <source>The live model has no run folder yet.</source>
        <translation>실시간 모델에는 아직 실행 폴더가 없습니다.</translation>
    </message>
    <message>
        <source>reading the test set and loading the model</source>
        <translation>테스트 세트를 읽고 모델을 불러오는 중</translation>
    </message>
    <message>
        <source>the dev split</source>
        <translation>개발 세트</translation>
    </message>
    <message>
        <source>Load an n-best file (or make a demo list) first.</source>
        <translation>먼저 n-best 파일을 불러오세요 (또는 데모 목록을 만드세요).</translation>
    </message>
    <message>
        <source>The chosen model has no run folder.</source>
        <translation>선택한 모델에는 실행 폴더가 없습니다.</translation>
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
    <name>LengthHistogram</name>
    <message>
        <source>Sentence lengths</source>
        <translation>문장 길이</translation>
    </message>
    <message>
        <source>words</source>
        <translation>단어 수</translation>
    </message>
    <message>
        <source>pairs</source>
        <translation>쌍 수</translation>
    </message>
    <message>
        <source>source</source>
        <translation>원문</translation>
    </message>
    <message>
        <source>target</source>
        <translation>목표 문장</translation>
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
        <source>Caption</source>
        <translation>캡션</translation>
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
        <source>Where training runs. On the CPU the app trains with {threads} of this machine&apos;s {cores} threads and leaves the rest to the window, so it stays responsive while a model trains; the command line (s2s train) uses all {cores}.</source>
        <translation>학습이 실행되는 곳입니다. CPU에서는 앱이 이 컴퓨터의 스레드 {cores}개 중 {threads}개로 학습하고 나머지는 창에 남겨 두므로, 모델이 학습하는 동안에도 창이 잘 반응합니다. 명령줄(s2s train)은 {cores}개를 모두 씁니다.</translation>
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
        <source>Korean</source>
        <translation>한국어</translation>
    </message>
    <message>
        <source>Japanese</source>
        <translation>일본어</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>중국어</translation>
    </message>
    <message>
        <source>Fonts for CJK text are missing</source>
        <translation>한중일(CJK) 글꼴이 없습니다</translation>
    </message>
    <message>
        <source>No installed font covers {scripts} text, so sentences in these languages show as empty boxes. Install one and restart the app, e.g. on Debian or Ubuntu:

    {command}</source>
        <translation>설치된 글꼴 중 {scripts} 텍스트를 표시할 수 있는 글꼴이 없어서, 이 언어의 문장이 빈 네모로 보입니다. 글꼴을 설치한 뒤 앱을 다시 시작하세요. 예를 들어 Debian이나 Ubuntu에서는:

    {command}</translation>
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
    <name>MetricPlot</name>
    <message>
        <source>step</source>
        <translation>단계</translation>
    </message>
    <message>
        <source>relative time (min)</source>
        <translation>경과 시간 (분)</translation>
    </message>
    <message>
        <source>min</source>
        <translation>분</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <source>The model to use. Tick several runs trained on the same data to decode with an ensemble (their predictions are averaged).</source>
        <translation>사용할 모델입니다. 같은 데이터로 학습한 실행을 여러 개 체크하면 앙상블로 디코딩합니다 (예측을 평균합니다).</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Model being trained (latest weights)</source>
        <translation>학습 중인 모델 (최신 가중치)</translation>
    </message>
    <message>
        <source>{name}  ({steps:,} steps)</source>
        <translation>{name}  ({steps:,}단계)</translation>
    </message>
    <message>
        <source>No trained runs yet</source>
        <translation>아직 학습한 실행이 없습니다</translation>
    </message>
</context>
<context>
    <name>Plots</name>
    <message>
        <source>train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>dev</source>
        <translation>개발</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>loss (nats/token)</source>
        <translation>손실 (nat/토큰)</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>퍼플렉서티</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>퍼플렉서티</translation>
    </message>
    <message>
        <source>Dev BLEU / chrF</source>
        <translation>개발 BLEU / chrF</translation>
    </message>
    <message>
        <source>score</source>
        <translation>점수</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>Gradient norm</source>
        <translation>그래디언트 노름</translation>
    </message>
    <message>
        <source>norm (pre-clip)</source>
        <translation>클리핑 전 노름</translation>
    </message>
    <message>
        <source>grad norm</source>
        <translation>그래디언트 노름</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>처리량</translation>
    </message>
    <message>
        <source>tokens / s</source>
        <translation>토큰 / 초</translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation>토큰/초</translation>
    </message>
</context>
<context>
    <name>PlotsView</name>
    <message>
        <source>Press Start to train, or open a run in Runs: its curve appears here.</source>
        <translation>시작을 눌러 학습하거나 실행 기록에서 실행을 여세요. 그 곡선이 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Dev BLEU and chrF appear here at each evaluation of a run.</source>
        <translation>실행을 평가할 때마다 개발 BLEU와 chrF가 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Exponential moving average of the training curves</source>
        <translation>학습 곡선의 지수 이동 평균</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>로그 눈금</translation>
    </message>
    <message>
        <source>Logarithmic y axis for loss, perplexity, lr and gradient norm</source>
        <translation>손실, 퍼플렉서티, 학습률, 그래디언트 노름에 로그 y축을 씁니다</translation>
    </message>
    <message>
        <source>Export plot…</source>
        <translation>그래프 내보내기…</translation>
    </message>
    <message>
        <source>Save the chosen plot as PNG or SVG</source>
        <translation>선택한 그래프를 PNG 또는 SVG로 저장합니다</translation>
    </message>
    <message>
        <source>Export metrics CSV…</source>
        <translation>지표 CSV 내보내기…</translation>
    </message>
    <message>
        <source>x: step</source>
        <translation>x: 단계</translation>
    </message>
    <message>
        <source>x: relative time</source>
        <translation>x: 경과 시간</translation>
    </message>
    <message>
        <source>Plot against the training step or the minutes since the run began</source>
        <translation>x축을 학습 단계로 할지, 실행 시작 후 지난 시간(분)으로 할지 고릅니다</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>스무딩</translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation>그래프 내보내기</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG 이미지 (*.png);;SVG 그림 (*.svg)</translation>
    </message>
    <message>
        <source>Export metrics</source>
        <translation>지표 내보내기</translation>
    </message>
</context>
<context>
    <name>Presets</name>
    <message>
        <source>Quick demo</source>
        <translation>빠른 데모</translation>
    </message>
    <message>
        <source>1-layer LSTM with dot attention; 3,000 steps, at most 2 minutes on a 2-core CPU. On Task: dates it ends writing dates right (3 Mar 2021 -&gt; 2021-03-03); real sentences need the Sentence pairs preset.</source>
        <translation>1층 LSTM, dot 어텐션. 3,000단계, 2코어 CPU에서 최대 2분. 과제: dates에서는 끝날 무렵 날짜를 바르게 씁니다 (3 Mar 2021 -&gt; 2021-03-03). 실제 문장에는 문장 쌍 프리셋이 필요합니다.</translation>
    </message>
    <message>
        <source>Sutskever 2014</source>
        <translation>Sutskever 2014</translation>
    </message>
    <message>
        <source>The paper at full size: 4x1000 LSTM, reversed source, SGD 0.7; for a GPU.</source>
        <translation>논문 그대로의 크기: 4x1000 LSTM, 원문 뒤집기, SGD 0.7. GPU용.</translation>
    </message>
    <message>
        <source>Cho 2014</source>
        <translation>Cho 2014</translation>
    </message>
    <message>
        <source>GRU encoder-decoder with the context vector at every decoder step.</source>
        <translation>디코더 매 단계에 문맥 벡터를 주는 GRU 인코더-디코더.</translation>
    </message>
    <message>
        <source>Luong attention</source>
        <translation>Luong 어텐션</translation>
    </message>
    <message>
        <source>2-layer LSTM, global general attention with input feeding.</source>
        <translation>2층 LSTM, 입력 피딩을 쓰는 전역 general 어텐션.</translation>
    </message>
    <message>
        <source>Sentence pairs</source>
        <translation>문장 쌍</translation>
    </message>
    <message>
        <source>For downloaded Tatoeba pairs: 2x256 LSTM, dot attention, one 8k tokenizer per language. Stops after 20 minutes; on 2 CPU cores English to French reached dev BLEU 35 in that time.</source>
        <translation>다운로드한 Tatoeba 문장 쌍용: 2x256 LSTM, dot 어텐션, 언어마다 8k 토크나이저 하나. 20분 뒤 멈춥니다. CPU 코어 2개에서 영어-프랑스어는 그 시간에 개발 BLEU 35에 도달했습니다.</translation>
    </message>
    <message>
        <source>Shapes captioning</source>
        <translation>도형 캡션 생성</translation>
    </message>
    <message>
        <source>A small CNN reads the pictures; the decoder writes captions, attending over the CNN&apos;s grid (Show, Attend and Tell).</source>
        <translation>작은 CNN이 이미지를 읽고, 디코더가 CNN의 격자에 어텐션하며 캡션을 씁니다 (Show, Attend and Tell).</translation>
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
        <source>Probe sentences at step {step:,}{best} — dev BLEU (greedy) {bleu:.1f}, perplexity {ppl:.2f}</source>
        <translation>{step:,}단계의 탐침 문장{best} — 개발 BLEU (탐욕 탐색) {bleu:.1f}, 퍼플렉서티 {ppl:.2f}</translation>
    </message>
</context>
<context>
    <name>RescorePanel</name>
    <message>
        <source>Rescore an n-best list</source>
        <translation>n-best 목록 재채점</translation>
    </message>
    <message>
        <source>Moses n-best</source>
        <translation>Moses n-best</translation>
    </message>
    <message>
        <source>Source sentences</source>
        <translation>원문 문장</translation>
    </message>
    <message>
        <source>References</source>
        <translation>참조 번역</translation>
    </message>
    <message>
        <source>file…</source>
        <translation>파일…</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>불러오기</translation>
    </message>
    <message>
        <source>Demo list from the dev split</source>
        <translation>개발 세트로 데모 목록 만들기</translation>
    </message>
    <message>
        <source>No n-best file at hand? Make one from the model&apos;s own beam plus perturbed copies, with a noisy baseline score.</source>
        <translation>n-best 파일이 없나요? 모델 자신의 빔과 일부러 흐트러뜨린 사본으로 목록을 만들고, 잡음 섞인 기준 점수를 붙입니다.</translation>
    </message>
    <message>
        <source>Load a list to rescore it.</source>
        <translation>재채점할 목록을 불러오세요.</translation>
    </message>
    <message>
        <source>baseline</source>
        <translation>기준</translation>
    </message>
    <message>
        <source>model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>파일 선택</translation>
    </message>
    <message>
        <source>Choose the n-best file and its source sentences.</source>
        <translation>n-best 파일과 그 원문 문장 파일을 고르세요.</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>읽는 중…</translation>
    </message>
    <message>
        <source>Decoding the dev split for a demo list…</source>
        <translation>데모 목록을 만들려고 개발 세트를 디코딩하는 중…</translation>
    </message>
    <message>
        <source>{lists} n-best lists loaded; scoring with the model…</source>
        <translation>n-best 목록 {lists}개를 불러왔습니다. 모델로 채점하는 중…</translation>
    </message>
    <message>
        <source>weights: model {model:.2f} · baseline {base:.2f}</source>
        <translation>가중치: 모델 {model:.2f} · 기준 {base:.2f}</translation>
    </message>
    <message>
        <source>&lt;b&gt;BLEU after reranking {after}&lt;/b&gt; · baseline (before) {before} · oracle {oracle}&lt;br&gt;{lists} sentences, {hypotheses} hypotheses</source>
        <translation>&lt;b&gt;재순위 후 BLEU {after}&lt;/b&gt; · 기준 (이전) {before} · 오라클 {oracle}&lt;br&gt;문장 {lists}개, 가설 {hypotheses}개</translation>
    </message>
    <message>
        <source>Rescoring failed: {message}</source>
        <translation>재채점 실패: {message}</translation>
    </message>
</context>
<context>
    <name>RunLabels</name>
    <message>
        <source>dev BLEU (greedy)</source>
        <translation>개발 BLEU (탐욕 탐색)</translation>
    </message>
    <message>
        <source>dev BLEU (greedy, {n} sentences)</source>
        <translation>개발 BLEU (탐욕 탐색, 문장 {n}개)</translation>
    </message>
    <message>
        <source>BLEU (greedy, {n} sentences)</source>
        <translation>BLEU (탐욕 탐색, 문장 {n}개)</translation>
    </message>
    <message>
        <source>BLEU (beam {k}, {n} sentences)</source>
        <translation>BLEU (빔 {k}, 문장 {n}개)</translation>
    </message>
    <message>
        <source>Corpus BLEU computed by sacrebleu on detokenized text. The figures differ by what was decoded: while training, greedy decoding of the first dev sentences; best: the highest of those evaluations; Evaluate: the search you choose on the whole test set.</source>
        <translation>sacrebleu가 탈토큰화한 텍스트로 계산한 말뭉치 단위 BLEU입니다. 수치는 무엇을 디코딩했는지에 따라 다릅니다. 학습 중: 개발 세트의 처음 문장들을 탐욕 탐색으로 디코딩, 최고: 그 평가들 중 가장 높은 값, 평가: 전체 테스트 세트에 대해 직접 고른 탐색 방식.</translation>
    </message>
    <message>
        <source>sacrebleu signature (how to reproduce this score exactly):
{signature}</source>
        <translation>sacrebleu 시그니처 (이 점수를 그대로 재현하는 방법):
{signature}</translation>
    </message>
    <message>
        <source>reached max steps</source>
        <translation>최대 단계 도달</translation>
    </message>
    <message>
        <source>reached max steps ({n:,})</source>
        <translation>최대 단계 도달 ({n:,})</translation>
    </message>
    <message>
        <source>time limit</source>
        <translation>시간 제한</translation>
    </message>
    <message>
        <source>time limit ({m} min)</source>
        <translation>시간 제한 ({m}분)</translation>
    </message>
    <message>
        <source>stopped by you</source>
        <translation>사용자가 중지함</translation>
    </message>
    <message>
        <source>early stop: dev score stopped improving</source>
        <translation>조기 종료: 개발 점수가 더 나아지지 않음</translation>
    </message>
    <message>
        <source>early stop: no better dev score in {n} evaluations</source>
        <translation>조기 종료: {n}번 평가하는 동안 개발 점수가 나아지지 않음</translation>
    </message>
    <message>
        <source>completed all epochs</source>
        <translation>모든 에포크 완료</translation>
    </message>
    <message>
        <source>completed {n} epochs</source>
        <translation>에포크 {n}회 완료</translation>
    </message>
    <message>
        <source>the loss became NaN</source>
        <translation>손실이 NaN이 됨</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>메모리 부족</translation>
    </message>
</context>
<context>
    <name>RunSelector</name>
    <message>
        <source>Tick a run to show its curves; overlay runs in Runs</source>
        <translation>곡선을 보려면 실행에 체크하세요. 실행을 겹쳐 보려면 실행 기록 탭에서 고르세요</translation>
    </message>
    <message>
        <source>This run: {path}</source>
        <translation>이 실행: {path}</translation>
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
    <name>SentencePresets</name>
    <message>
        <source>Word order (Sutskever et al. 2014, Fig. 2)</source>
        <translation>어순 (Sutskever 외 2014, 그림 2)</translation>
    </message>
    <message>
        <source>Active and passive voice</source>
        <translation>능동태와 수동태</translation>
    </message>
    <message>
        <source>Everyday sentences</source>
        <translation>일상 문장</translation>
    </message>
    <message>
        <source>Synthetic tasks: swapped letters</source>
        <translation>합성 과제: 글자 바꾸기</translation>
    </message>
    <message>
        <source>Synthetic tasks: dates</source>
        <translation>합성 과제: 날짜</translation>
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
        <source>Get sentence pairs…</source>
        <translation>문장 쌍 받기…</translation>
    </message>
    <message>
        <source>Download real sentences with their translations (Tatoeba, English and one of 26 languages)</source>
        <translation>실제 문장과 그 번역을 다운로드합니다 (Tatoeba, 영어와 26개 언어 중 하나)</translation>
    </message>
    <message>
        <source>Or drop files (.tsv, .zip, …) here. Recent corpora:</source>
        <translation>또는 파일(.tsv, .zip, …)을 여기에 끌어다 놓으세요. 최근 말뭉치:</translation>
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
    <name>StatesPlot</name>
    <message>
        <source>Encoder final states, projected with PCA</source>
        <translation>PCA로 투영한 인코더의 마지막 상태</translation>
    </message>
    <message>
        <source>Type sentences on the left (or pick a preset) to see where the encoder puts them.</source>
        <translation>왼쪽에 문장을 입력하면 (또는 프리셋을 고르면) 인코더가 그 문장들을 어디에 놓는지 표시됩니다.</translation>
    </message>
    <message>
        <source>PC{n} ({share:.1f}% of variance)</source>
        <translation>PC{n} (분산의 {share:.1f}%)</translation>
    </message>
    <message>
        <source>(group: {group})</source>
        <translation>(그룹: {group})</translation>
    </message>
    <message>
        <source>Encoder states (PCA)</source>
        <translation>인코더 상태 (PCA)</translation>
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
        <source>shape</source>
        <translation>모양</translation>
    </message>
    <message>
        <source>colour</source>
        <translation>색</translation>
    </message>
    <message>
        <source>size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source>number of shapes</source>
        <translation>도형 수</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>One sentence per line; each gets a colour.
A line &apos;# name&apos; starts a group (a marker shape).</source>
        <translation>한 줄에 문장 하나. 문장마다 색이 붙습니다.
&apos;# 이름&apos; 줄은 새 그룹(표식 모양)을 시작합니다.</translation>
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
        <source>Colour each point by its picture&apos;s first shape</source>
        <translation>각 점을 그 이미지의 첫 도형에 따라 색칠합니다</translation>
    </message>
    <message>
        <source>Draw the pictures</source>
        <translation>이미지 그리기</translation>
    </message>
    <message>
        <source>Each point as a small thumbnail</source>
        <translation>각 점을 작은 썸네일로 표시합니다</translation>
    </message>
    <message>
        <source>Encode the pictures</source>
        <translation>이미지 인코딩</translation>
    </message>
    <message>
        <source>Each point is one picture: the CNN encoder&apos;s pooled features, projected to two dimensions.</source>
        <translation>점 하나가 이미지 하나입니다. CNN 인코더의 풀링된 특징을 2차원으로 투영했습니다.</translation>
    </message>
    <message>
        <source>Pictures from the dev split</source>
        <translation>개발 세트의 이미지</translation>
    </message>
    <message>
        <source>Colour by</source>
        <translation>색 기준</translation>
    </message>
    <message>
        <source>Reading the pictures…</source>
        <translation>이미지를 읽는 중…</translation>
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
        <source>Text (*.txt)</source>
        <translation>텍스트 (*.txt)</translation>
    </message>
    <message>
        <source>Encoding with the latest weights…</source>
        <translation>최신 가중치로 인코딩하는 중…</translation>
    </message>
    <message>
        <source>{n} pictures · plane fitted on {basis} · {model}</source>
        <translation>이미지 {n}개 · 평면 기준: {basis} · {model}</translation>
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
    <message>
        <source>Export plot</source>
        <translation>그래프 내보내기</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG 이미지 (*.png);;SVG 그림 (*.svg)</translation>
    </message>
    <message>
        <source>Export points</source>
        <translation>점 내보내기</translation>
    </message>
</context>
<context>
    <name>TokenLogprobPlot</name>
    <message>
        <source>Log-prob per piece: &lt;span style=&apos;color:{hyp}&apos;&gt;■ hypothesis&lt;/span&gt; &amp;nbsp; &lt;span style=&apos;color:{ref}&apos;&gt;■ reference&lt;/span&gt;</source>
        <translation>조각별 로그 확률: &lt;span style=&apos;color:{hyp}&apos;&gt;■ 가설&lt;/span&gt; &amp;nbsp; &lt;span style=&apos;color:{ref}&apos;&gt;■ 참조 번역&lt;/span&gt;</translation>
    </message>
    <message>
        <source>log-prob</source>
        <translation>로그 확률</translation>
    </message>
    <message>
        <source>hypothesis</source>
        <translation>가설</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>참조 번역</translation>
    </message>
    <message>
        <source>How sure the model was of each output piece; type a reference translation to compare.</source>
        <translation>모델이 출력 조각마다 얼마나 확신했는지 보여 줍니다. 비교하려면 참조 번역을 입력하세요.</translation>
    </message>
</context>
<context>
    <name>TokenizerPreview</name>
    <message>
        <source>Type a source sentence…</source>
        <translation>원문 문장을 입력하세요…</translation>
    </message>
    <message>
        <source>(read a corpus first)</source>
        <translation>(먼저 말뭉치를 읽으세요)</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>텍스트</translation>
    </message>
    <message>
        <source>Pieces</source>
        <translation>조각</translation>
    </message>
    <message>
        <source>Ids</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>어휘</translation>
    </message>
    <message>
        <source>source {src:,} · target {tgt:,} pieces · unknown pieces on the corpus: {unk:.2f}%</source>
        <translation>원문 {src:,} · 목표 {tgt:,}개 조각 · 말뭉치의 미지 조각 비율: {unk:.2f}%</translation>
    </message>
    <message>
        <source>({n} pieces)</source>
        <translation>(조각 {n}개)</translation>
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
        <source>the configuration has an error: see the Configure tab.</source>
        <translation>설정에 오류가 있습니다. 설정 탭을 확인하세요.</translation>
    </message>
    <message>
        <source>Finished: {reason}, after {epochs:.2f} epochs · dev perplexity {ppl} · {bleu_label} {bleu} · {speed:,.0f} tokens/s</source>
        <translation>완료: {reason}, 에포크 {epochs:.2f} · 개발 퍼플렉서티 {ppl} · {bleu_label} {bleu} · {speed:,.0f} 토큰/초</translation>
    </message>
    <message>
        <source>Training failed — see the message above. Fix the cause, then press Start again; the last good checkpoint stays.</source>
        <translation>학습 실패 — 위의 메시지를 확인하세요. 원인을 고친 뒤 다시 시작을 누르세요. 마지막 정상 체크포인트는 남아 있습니다.</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>시작 안 됨</translation>
    </message>
    <message>
        <source>Cannot start training: {message}</source>
        <translation>학습을 시작할 수 없습니다: {message}</translation>
    </message>
    <message>
        <source>Not started — see the message above.</source>
        <translation>시작하지 않음 — 위의 메시지를 확인하세요.</translation>
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
<context>
    <name>TranslateView</name>
    <message>
        <source>Type a sentence (one per line)…</source>
        <translation>문장을 입력하세요 (한 줄에 하나)…</translation>
    </message>
    <message>
        <source>Reference translation of the selected sentence (optional)</source>
        <translation>선택한 문장의 참조 번역 (선택 사항)</translation>
    </message>
    <message>
        <source>Click a node of the tree to see its prefix.</source>
        <translation>트리의 노드를 클릭하면 그 접두가 표시됩니다.</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>원문</translation>
    </message>
    <message>
        <source>Translations (select one to inspect it)</source>
        <translation>번역 (하나를 선택해 자세히 보기)</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(비어 있음)</translation>
    </message>
    <message>
        <source>1 sentence decoded in {ms:.0f} ms ({waited:.0f} ms after the last edit)</source>
        <translation>문장 1개를 {ms:.0f} ms에 디코딩 (마지막 편집 후 {waited:.0f} ms)</translation>
    </message>
    <message>
        <source>{n} sentences decoded in {ms:.0f} ms ({waited:.0f} ms after the last edit)</source>
        <translation>문장 {n}개를 {ms:.0f} ms에 디코딩 (마지막 편집 후 {waited:.0f} ms)</translation>
    </message>
    <message>
        <source>Cannot translate: {message}</source>
        <translation>번역할 수 없습니다: {message}</translation>
    </message>
</context>
<context>
    <name>Workers</name>
    <message>
        <source>The device ran out of memory. Try a smaller batch size, a token budget, a smaller model or the CPU.

({text})</source>
        <translation>장치의 메모리가 부족합니다. 배치 크기를 줄이거나, 토큰 예산을 쓰거나, 더 작은 모델이나 CPU를 써 보세요.

({text})</translation>
    </message>
    <message>
        <source>running or crashed</source>
        <translation>실행 중 또는 비정상 종료</translation>
    </message>
    <message>
        <source>finished: {reason}</source>
        <translation>완료: {reason}</translation>
    </message>
    <message>
        <source>config unreadable</source>
        <translation>설정을 읽을 수 없음</translation>
    </message>
    <message>
        <source>attention {kind}</source>
        <translation>어텐션 {kind}</translation>
    </message>
    <message>
        <source>reversed source</source>
        <translation>원문 뒤집기</translation>
    </message>
    <message>
        <source>bidirectional</source>
        <translation>양방향</translation>
    </message>
    <message>
        <source>Task: {name}</source>
        <translation>과제: {name}</translation>
    </message>
    <message>
        <source>Qt UI strings: English → {lang}</source>
        <translation>Qt UI 문자열: 영어 → {lang}</translation>
    </message>
    <message>
        <source>CPU (1 thread)</source>
        <translation>CPU (스레드 1개)</translation>
    </message>
    <message>
        <source>CPU ({n} threads)</source>
        <translation>CPU (스레드 {n}개)</translation>
    </message>
</context>
</TS>
