"use client";
import { memo } from "react";
import ReactMarkdown, { defaultUrlTransform } from "react-markdown";
import remarkGfm from "remark-gfm";

// tel: links are how an emergency number is one tap away; react-markdown drops them by default.
function urlTransform(url: string): string {
  return /^tel:\+?[\d]+$/.test(url) ? url : defaultUrlTransform(url);
}

function Markdown({ text }: { text: string }) {
  return (
    <ReactMarkdown
      remarkPlugins={[remarkGfm]}
      urlTransform={urlTransform}
      components={{
        a: ({ href, children }) =>
          href?.startsWith("tel:") ? (
            <a href={href}>{children}</a>
          ) : (
            <a href={href} target="_blank" rel="noreferrer noopener">
              {children}
            </a>
          ),
      }}
    >
      {text}
    </ReactMarkdown>
  );
}

// Only the growing answer re-renders while tokens arrive; finished ones stay as they are.
export default memo(Markdown);
