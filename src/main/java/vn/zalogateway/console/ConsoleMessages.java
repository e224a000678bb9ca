package vn.zalogateway.console;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** The console's words: Vietnamese here, English in messages/msg_en.properties (each key must be in both). */
@MessageBundle(value = "msg", locale = "vi")
public interface ConsoleMessages {

    @Message("Số tiền")
    String amount();

    @Message("Tất cả")
    String any();

    @Message("Lúc")
    String at();

    @Message("Số lần thử")
    String attempts();

    @Message("Callback lỗi")
    String callbacks_failed();

    @Message("Callback chờ gửi")
    String callbacks_pending();

    @Message("Thẻ Zalo")
    String card();

    @Message("Tính phí")
    String charged();

    @Message("Mã")
    String code();

    @Message("Hệ thống gọi")
    String consumer();

    @Message("Sao chép")
    String copy();

    @Message("Chưa có chi phí nào trong 14 ngày qua.")
    String costs_none();

    @Message("Chi phí theo OA và ngày (14 ngày)")
    String costs_title();

    @Message("Tạo lúc")
    String created();

    @Message("Ngày")
    String date();

    @Message("Chi tiết")
    String details();

    @Message("Lỗi")
    String error();

    @Message("Sự kiện")
    String event();

    @Message("Hết hạn")
    String expires();

    @Message("Giờ hiển thị theo Asia/Ho_Chi_Minh (UTC+7).")
    String footer_times();

    @Message("Biểu mẫu đã hết hạn. Vui lòng thử lại.")
    String form_expired();

    @Message("Hành trình")
    String journey();

    @Message("Loại")
    String kind();

    @Message("Phản hồi gần nhất")
    String last_answer();

    @Message("Mở")
    String load();

    @Message("Tin nhắn")
    String message_title();

    @Message("Tên")
    String name();

    @Message("Hệ thống gọi")
    String nav_consumers();

    @Message("Chi phí")
    String nav_costs();

    @Message("Hành trình")
    String nav_journeys();

    @Message("Tin nhắn")
    String nav_messages();

    @Message("Tổng quan")
    String nav_overview();

    @Message("Thử mẫu tin")
    String nav_playground();

    @Message("Báo cáo lỗi")
    String nav_receipts();

    @Message("Không tìm thấy tin nhắn nào.")
    String no_messages_found();

    @Message("Không có")
    String none();

    @Message("Không tìm thấy")
    String not_found();

    @Message("Cũ hơn →")
    String older();

    @Message("Mở trong trình thử mẫu tin")
    String open_in_playground();

    @Message("Tin chờ gửi (outbox)")
    String overview_backlog();

    @Message("Đã nhận mỗi phút (60 phút qua)")
    String overview_delivered_per_minute();

    @Message("Callback thất bại")
    String overview_failed_callbacks();

    @Message("Tình trạng")
    String overview_health();

    @Message("Báo cáo không hợp lệ")
    String overview_invalid();

    @Message("Chưa có tin nhắn nào trong 24 giờ qua.")
    String overview_no_messages();

    @Message("Tin đến hạn lâu nhất")
    String overview_oldest_due();

    @Message("Hạn mức OA gần nhất")
    String overview_quota();

    @Message("Tin nhắn 24 giờ qua theo trạng thái")
    String overview_title();

    @Message("Báo cáo chưa khớp tin")
    String overview_unmatched();

    @Message("Mật khẩu")
    String password();

    @Message("Số điện thoại")
    String phone();

    @Message("Sửa JSON của tin nhắn: thẻ Zalo và mọi lỗi theo quy tắc mẫu hiện ra ngay khi gõ.")
    String playground_help();

    @Message("{count} lỗi cần sửa")
    String playground_invalid(int count);

    @Message("Hợp lệ: có thể gửi")
    String playground_valid();

    @Message("Vấn đề")
    String problem();

    @Message("Nhà cung cấp")
    String provider();

    @Message("Hạn mức ngày")
    String quota_daily();

    @Message("Còn lại")
    String quota_remaining();

    @Message("Giới hạn/giây")
    String rate_limit();

    @Message("Nội dung gốc")
    String raw_body();

    @Message("Báo cáo")
    String receipts();

    @Message("Khoản phí")
    String charges();

    @Message("Không hợp lệ")
    String receipts_invalid();

    @Message("Báo cáo không đọc được: lưu lại để kiểm tra, không bao giờ áp dụng.")
    String receipts_invalid_help();

    @Message("Chưa khớp")
    String receipts_unmatched();

    @Message("Báo cáo hợp lệ chưa tìm thấy tin nhắn của nó; sẽ được áp dụng khi tin nhắn xuất hiện.")
    String receipts_unmatched_help();

    @Message("Nhận lúc")
    String received();

    @Message("Người nhận")
    String recipient();

    @Message("Gửi lại")
    String redeliver();

    @Message("Đã xếp callback để gửi lại ngay.")
    String redelivered();

    @Message("Mã tham chiếu")
    String reference();

    @Message("Tìm")
    String search();

    @Message("Xem")
    String show();

    @Message("Đăng nhập")
    String sign_in();

    @Message("Sai tên đăng nhập hoặc mật khẩu.")
    String sign_in_failed();

    @Message("Đăng nhập bảng điều khiển")
    String sign_in_title();

    @Message("Đăng xuất")
    String sign_out();

    @Message("Bắt đầu từ mẫu")
    String start_from();

    @Message("Trạng thái")
    String status();

    @Message("Đối tượng")
    String subject();

    @Message("Mẫu")
    String template();

    @Message("Dòng thời gian")
    String timeline();

    @Message("Cập nhật")
    String updated();

    @Message("Tên đăng nhập")
    String username();

    @Message("Kênh")
    String channel();

    @Message("Chi phí")
    String cost();

    @Message("Gửi tới hệ thống gọi")
    String delivery();

    @Message("Đã chuyển sang SMS")
    String fallback_filter();

    @Message("Đã tìm trong {count} tin gần nhất khớp tìm kiếm (đến {until}); các tin cũ hơn ở trang sau.")
    String fallback_scanned(int count, String until);

    @Message("Tạm giữ (hạn mức OA)")
    String held();

    @Message("đến {until}")
    String held_until(String until);

    @Message("Tin đang bị giữ")
    String quota_held_messages();

    @Message("Tạm giữ")
    String quota_hold();

    @Message("không")
    String quota_not_held();

    @Message("Khung giờ gửi")
    String send_window();

    @Message("chưa cần gửi")
    String sms_not_needed();

    @Message("Số phần")
    String sms_parts();

    @Message("Lý do")
    String sms_reason();

    @Message("eSMS nhận lúc")
    String sms_submitted();

    @Message("Nội dung")
    String sms_text();

    @Message("SMS dự phòng")
    String sms_title();

    @Message("chưa gửi qua Zalo")
    String zalo_not_tried();

    @Message("Đã nhận")
    String batch_accepted();

    @Message("Hủy các tin chưa gửi")
    String batch_cancel();

    @Message("Đã hủy {count} tin của lô.")
    String batch_cancelled(int count);

    @Message("Xem các tin của lô")
    String batch_messages();

    @Message("Tiến độ")
    String batch_progress();

    @Message("Bị từ chối")
    String batch_rejected();

    @Message("Lô tin")
    String batch_title();

    @Message("Không có lô tin nào.")
    String batches_none();

    @Message("Hủy")
    String cancel();

    @Message("Số lượng")
    String count();

    @Message("Lô tin")
    String nav_batches();

    @Message("Mẫu lưu sẵn")
    String nav_templates();

    @Message("Mẫu ZNS")
    String nav_zns();

    @Message("Mẫu lưu sẵn")
    String stored_template();

    @Message("JSON của mẫu như API nhận (POST /v1/templates, PUT /v1/templates/:name): mỗi placeholder khai báo max_length trong placeholders. Mẫu được kiểm tra theo mọi quy tắc với mỗi placeholder ở độ dài tối đa.")
    String template_edit_help();

    @Message("Ngôn ngữ")
    String template_language();

    @Message("Phiên bản mới nhất")
    String template_latest();

    @Message("Mẫu mới")
    String template_new();

    @Message("Lưu phiên bản mới")
    String template_new_version();

    @Message("Placeholder")
    String template_placeholders();

    @Message("Dữ liệu mẫu của bản xem trước")
    String template_sample();

    @Message("Lưu")
    String template_save();

    @Message("Đã lưu phiên bản {version}.")
    String template_saved(int version);

    @Message("Mẫu")
    String template_title();

    @Message("Phiên bản")
    String template_version();

    @Message("Các phiên bản")
    String template_versions();

    @Message("Hệ thống gọi này chưa có mẫu nào.")
    String templates_none();

    @Message("Mọi mẫu ZNS của OA này")
    String zns_all_of_oa();

    @Message("Kiểm tra lúc")
    String zns_checked();

    @Message("Chọn một OA (hoặc một hệ thống gọi rồi một OA của nó) để xem các mẫu ZNS.")
    String zns_choose();

    @Message("Mẫu ZNS như eTelecom hoặc eSMS mô tả lần gần nhất; được hỏi lại khi quá gateway.templates.refresh.")
    String zns_help();

    @Message("Không biết mẫu ZNS nào của OA này.")
    String zns_none();

    @Message("Tham số")
    String zns_params();

    @Message("Chất lượng")
    String zns_quality();

    @Message("Bắt buộc")
    String zns_required();

    @Message("Thẻ")
    String zns_tag();

    @Message("Mẫu ZNS")
    String zns_title();

    @Message("Không nhà cung cấp nào trả lời về mẫu này và gateway chưa lưu nó: tin dùng mẫu này được nhận mà không kiểm tra (template_checked: false).")
    String zns_unchecked();

}
